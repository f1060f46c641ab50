#!/bin/bash
# issue21.sh (carried as .carry/issue21.sh by make-carry.sh): issue 21's GPU session in one command
# on an H200, from the carry folder. Everything is written under a work folder and, after each
# stage, packed into $OUT/results.tgz (one file: the device tool returns few files), so a call cut
# short still returns what was done:
#   1. sass-report.txt: registers, shared memory and spills of every kernel (the backward's among them);
#   2. check/backward.txt: the fused backward against the float64 reference gradients on the curated
#      configs and 300 random ones (every rank, dilation, causal, stride, padding, fp16/bf16, head
#      dims 32/64/128); exit 2 there ("no backward kernel for this request") or 3 (no usable GPU)
#      stops here;
#   3. check/sanitizer-*.txt: compute-sanitizer memcheck, racecheck, initcheck, synccheck on the
#      small cases (backward-check.js --sanitizer);
#   4. bench/<set>/: the side-by-side benchmark with backward rows (bench.sh --backward: ours, SDPA
#      cuDNN and flash backward, FlexAttention backward, in the same run), issue 21's targets in
#      backward-table.txt, for each set of --sets (default: spec8 issue18).
# Every stage runs under what is left of --budget seconds (default 540), so the script ends, packed,
# before a 600 s device call does.
# bash issue21.sh [--skip-check] [--budget S] [--sets "spec8 issue18"] [--cases N] [bench.sh options: --only NAMES, --repeats N, --no-peers]
# (GNA_KERNEL=portable|hopper picks the forward's kernel as for every GPU script.)
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-issue21}
work=${GNA_ISSUE21_WORK:-/tmp/gna-issue21-work}
rm -rf "$work"
mkdir -p "$out" "$work/check" "$work/bench"
skip_check=0 budget=540 sets="spec8 issue18" cases=300 bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-check) skip_check=1 ;;
    --budget) budget=$2; shift ;;
    --sets) sets=$2; shift ;;
    --cases) cases=$2; shift ;;
    *) bench_args+=("$1") ;;
  esac
  shift
done
start=$(date +%s)
left() { echo $(( budget - ($(date +%s) - start) )); }
pack() { tar -czf "$out/results.tgz.part" -C "$work" . && mv "$out/results.tgz.part" "$out/results.tgz"; }
say() { echo "$*" | tee -a "$work/summary.txt"; }
sh unpack-node.sh || exit 3
say "== issue21.sh on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"
cat BUILDINFO.txt | tee -a "$work/summary.txt"
OUT="$work" bash sass-report.sh gna_native.node > "$work/sass-report.txt" 2>&1
grep -E "backward|forward_kernel" "$work/sass-report.txt" | grep -E "REG|LDL|STL" | head -n 40 >> "$work/summary.txt"
pack
export GNA_NATIVE_ADDON="$PWD/gna_native.node" UV_THREADPOOL_SIZE=16
rc=0
if [ "$skip_check" = 0 ]; then
  timeout "$(( $(left) * 2 / 5 ))" ./node backward-check.js --cases "$cases" --out "$work/check/backward.txt" > "$work/check/backward.log" 2>&1
  brc=$?
  say "== backward check: exit $brc (124: out of time); $(tail -n 4 "$work/check/backward.log" | tr '\n' ';')"
  pack
  # 2: no backward kernel for this request, 3: no usable GPU; either way nothing more can run.
  if [ "$brc" = 2 ] || [ "$brc" = 3 ]; then say "== nothing more to check or time"; pack; exit "$brc"; fi
  [ "$brc" = 0 ] || rc=1
  san=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  for tool in memcheck racecheck initcheck synccheck; do
    timeout "$(( $(left) / 6 ))" "$san" --tool "$tool" --error-exitcode 99 --print-limit 20 ./node backward-check.js --sanitizer > "$work/check/sanitizer-$tool.txt" 2>&1
    src=$?
    say "== compute-sanitizer --tool $tool: exit $src; $(grep -cE '^PASS' "$work/check/sanitizer-$tool.txt") cases passed;" \
        "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$work/check/sanitizer-$tool.txt" | tail -n 1)"
    [ "$src" = 0 ] || rc=1
    pack
  done
  say "== check done at +$(( $(date +%s) - start )) s (exit $rc)"
fi
for set in $sets; do
  [ "$(left)" -gt 20 ] || { say "== no time left for the $set benchmark"; rc=1; break; }
  mkdir -p "$work/bench/$set"
  OUT="$work/bench/$set" timeout "$(left)" bash bench.sh --set "$set" --backward "${bench_args[@]}" > "$work/bench/$set/run.log" 2>&1 || rc=1
  grep -E "PASS|MISS" "$work/bench/$set/backward-table.txt" 2>/dev/null | tee -a "$work/summary.txt"
  pack
done
say "== done at +$(( $(date +%s) - start )) s; overall exit $rc"
pack
exit $rc
