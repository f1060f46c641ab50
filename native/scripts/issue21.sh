#!/bin/bash
# issue21.sh (carried as .carry/issue21.sh by make-carry.sh): issue 21's GPU session in one command
# on an H200, from the carry folder; everything lands in $OUT (or /tmp/gna-issue21) as it is made:
#   1. sass-report.txt: registers and spills of every kernel (the backward's among them, once built);
#   2. check/backward.txt: the fused backward against the float64 reference gradients on 300
#      random configs (every rank, dilation, causal, stride, padding, fp16/bf16, head dims 32/64/128),
#      under a 300 s timeout; exit 2 there ("no backward kernel in this build") or 3 (no usable GPU) stops here;
#   3. check/sanitizer-*.txt: compute-sanitizer memcheck, racecheck, initcheck, synccheck on the
#      small cases (backward-check.js --sanitizer);
#   4. bench/: the side-by-side benchmark with backward rows (bench.sh --backward: ours, SDPA cuDNN
#      and flash backward, FlexAttention backward, in the same run), issue 21's targets in
#      bench/backward-table.txt; both sets: GNA-SPEC §8 (spec8) and issue 18's (issue18).
# bash issue21.sh [--skip-check] [--only NAMES]   (GNA_KERNEL=portable|hopper picks the kernel)
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-issue21}
mkdir -p "$out/check" "$out/bench"
skip_check=0
if [ "${1:-}" = --skip-check ]; then skip_check=1; shift; fi
# The rest (--only NAMES) goes to bench.sh.
sh unpack-node.sh || exit 3
start=$(date +%s)
echo "== issue21.sh on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"
cat BUILDINFO.txt
OUT="$out" bash sass-report.sh gna_native.node > "$out/sass-report.txt" 2>&1
export GNA_NATIVE_ADDON="$PWD/gna_native.node" UV_THREADPOOL_SIZE=16
rc=0
if [ "$skip_check" = 0 ]; then
  timeout 300 ./node backward-check.js --out "$out/check/backward.txt" > "$out/check/backward.log" 2>&1
  brc=$?
  echo "== backward check: exit $brc; $(tail -n 4 "$out/check/backward.log" | tr '\n' ';')"
  # 2: no backward kernel in this build, 3: no usable GPU; either way nothing more can run.
  if [ "$brc" = 2 ] || [ "$brc" = 3 ]; then echo "== nothing more to check or time"; exit "$brc"; fi
  [ "$brc" = 0 ] || rc=1
  san=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  for tool in memcheck racecheck initcheck synccheck; do
    "$san" --tool "$tool" --error-exitcode 99 --print-limit 20 ./node backward-check.js --sanitizer > "$out/check/sanitizer-$tool.txt" 2>&1
    src=$?
    echo "== compute-sanitizer --tool $tool: exit $src; $(grep -cE '^PASS' "$out/check/sanitizer-$tool.txt") cases passed;" \
         "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$out/check/sanitizer-$tool.txt" | tail -n 1)"
    [ "$src" = 0 ] || rc=1
  done
  echo "== check done at +$(( $(date +%s) - start )) s (exit $rc)"
fi
for set in spec8 issue18; do
  mkdir -p "$out/bench/$set"
  OUT="$out/bench/$set" bash bench.sh --set "$set" --backward "$@" > "$out/bench/$set/run.log" 2>&1 || rc=1
  grep -E "PASS|MISS" "$out/bench/$set/backward-table.txt" 2>/dev/null
done
echo "== bench done at +$(( $(date +%s) - start )) s; overall exit $rc"
exit $rc
