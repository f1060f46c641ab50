#!/bin/bash
# i18ab.sh (carried as .carry/i18ab.sh by make-carry.sh; gpu-session.sh's stage i18ab): issue 18's
# kernel variant against the measured kernel, in one call on an H200, from the carry folder. The
# variant (GNA_SM90_VARIANT=N, default 1: the shorter item boundary of the head-dim-32/64 builds,
# PERF-NOTES "Issue 18: variants prepared without a GPU (session 10)") is checked first, then timed
# beside the measured kernel of the same addon. Everything lands in $OUT (default /tmp/gna-i18ab)
# as it is made, so a run stopped by a time limit keeps what it finished:
#   1. sass.txt: registers and spills (LDL/STL) of the variant kernels (cuobjdump);
#   2. smoke.txt: curated + 24 Hopper cases under the variant, 150 s timeout (a hang stops here);
#   3. check-3ctas.txt, check-permuted.txt: the variant on curated + random Hopper cases against the
#      float64 reference with the grid capped at 3 CTAs (every CTA a stream of items: the boundary
#      this variant changes), then on the permuted path (its other output layout), every case that
#      asks for the variant failing if another kernel ran (test/gpu/variantCheck.ts); chained
#      passes bitwise; sanitizer-{memcheck,racecheck,synccheck}.txt on the small cases;
#   4. bench/: bench.sh --variant N on the small-window problems (both sides of the A/B in
#      alternating rounds, ab.txt; the variant's table.txt with shares of simulated);
#   5. trace-*.txt: one traced launch per side of d32 and d64 w7x7, and of their dense rows under the
#      measured kernel (trace.py --items): the item boundary, and masked steps against unmasked ones,
#      measured rather than fitted.
# bash i18ab.sh [--variant N] [--skip-check] [--only NAMES] [--rounds R]
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-i18ab}
mkdir -p "$out"
variant=1 skip_check=0 rounds=2
# The problems whose items are short walks at head dims 32 and 64 (issue18.json), shortest first;
# d64-3d-30x48x80-h16 (w7x7x7: a predicted 1-2%, inside the noise; 133 ms dense) only when asked for.
only=d32-2d-128x128-b8-h4,d64-2d-64x64-b4-h8,d64-2d-100x75-b2-h8,d32-1d-16k-h16,d64-1d-32k-h16,d32-3d-16x32x32-b2-h8
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant=$2; shift ;;
    --skip-check) skip_check=1 ;;
    --only) only=$2; shift ;;
    --rounds) rounds=$2; shift ;;
  esac
  shift
done
sh unpack-node.sh > /dev/null || exit 3
start=$(date +%s)
say() { echo "$@" | tee -a "$out/summary.txt"; }
: > "$out/summary.txt"
say "== i18ab.sh variant $variant on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null); $(date -u +%FT%TZ)"
cat BUILDINFO.txt | tee -a "$out/summary.txt"
# (the full SASS listing stays out of $OUT: tens of MB; the census per kernel is what matters)
OUT=$(mktemp -d) bash sass-report.sh gna_native.node 2>&1 | grep -E "gna_sm90_kernel" | cut -c1-200 > "$out/sass.txt"
say "$(grep -cE "kernel_v" "$out/sass.txt") variant kernel lines; LDL/STL in any sm90 kernel: $(grep -cE " (LDL|STL) " "$out/sass.txt")"
export GNA_NATIVE_ADDON="$PWD/gna_native.node"
rc=0
if [ "$skip_check" = 0 ]; then
  GNA_SM90_VARIANT=$variant timeout 150 ./node gpu-check.js --cases 0 --hopper-cases 24 --no-bench --out "$out/smoke.txt" > "$out/smoke.log" 2>&1
  src=$?
  say "== smoke (curated + 24 Hopper cases, variant $variant): exit $src; $(tail -n 1 "$out/smoke.log")"
  if [ "$src" = 124 ]; then
    say "== HANG: a kernel did not finish within 150 s; the last cases started:"; tail -n 5 "$out/smoke.log" | tee -a "$out/summary.txt"; exit 1
  fi
  [ "$src" = 0 ] || rc=1
  for run in "3ctas:GNA_SM90_CTAS=3:200" "permuted:GNA_KERNEL=permuted GNA_SM90_CTAS=2:120"; do
    name=${run%%:*} rest=${run#*:}; envs=${rest%:*} cases=${rest##*:}
    env $envs GNA_SM90_VARIANT=$variant timeout 120 ./node gpu-check.js --cases 0 --hopper-cases "$cases" --no-bench \
      --out "$out/check-$name.txt" > "$out/check-$name.log" 2>&1
    crc=$?
    say "== check $name ($envs): exit $crc; $(grep -E 'kernel sm90 d(32|64)|chained|ALL PASSED|FAILED' "$out/check-$name.log" | tr '\n' ';')"
    [ "$crc" = 0 ] || rc=1
  done
  san=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  for tool in memcheck racecheck synccheck; do
    GNA_SM90_VARIANT=$variant GNA_SM90_CTAS=2 timeout 90 "$san" --tool "$tool" --error-exitcode 99 --print-limit 20 ./node gpu-check.js --sanitizer > "$out/sanitizer-$tool.txt" 2>&1
    src=$?
    say "== compute-sanitizer --tool $tool (variant $variant): exit $src; $(grep -cE '^PASS' "$out/sanitizer-$tool.txt") cases passed;" \
        "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$out/sanitizer-$tool.txt" | tail -n 1)"
    [ "$src" = 0 ] || rc=1
  done
  say "== check done at +$(( $(date +%s) - start )) s (exit $rc)"
  [ "$rc" = 0 ] || { say "== the variant failed its check: no timing"; exit 1; }
fi
mkdir -p "$out/bench"
OUT="$out/bench" bash bench.sh --set issue18 --only "$only" --variant "$variant" --rounds "$rounds" --no-peers --cooldown 4 \
  > "$out/bench/run.log" 2>&1 || rc=1
say "== A/B (baseline = variant 0 of the same addon), $rounds alternating rounds, at +$(( $(date +%s) - start )) s:"
grep -vE "launch floor" "$out/bench/ab.txt" 2>/dev/null | tee -a "$out/summary.txt"
grep -E "MISS|PASS" "$out/bench/table.txt" 2>/dev/null | grep -E "simulated" | sed 's/^/   variant: /' | tee -a "$out/summary.txt"
# One traced launch per side (the last of warm-ups and repeats; trace.py reads consumer warpgroup 0's
# pipeline): w7x7 (every step masked) under both kernels, dense (no step masked) under the measured one.
for prob in d32-2d-128x128-b8-h4 d64-2d-64x64-b4-h8; do
  for run in "w7x7:0" "w7x7:$variant" "dense:0"; do
    cfg=${run%%:*} v=${run##*:} name="$prob-${run%%:*}-v${run##*:}"
    GNA_SM90_VARIANT=$v GNA_SM90_TRACE="$out/trace-$name.raw" timeout 60 ./node bench.js --set issue18 --only "$prob" --config "$cfg" \
      --repeats 1 > /dev/null 2>&1 && python3 trace.py "$out/trace-$name.raw" --items > "$out/trace-$name.txt" 2>&1
    say "== trace $prob $cfg variant $v: $(grep -E 'step \(S|last step done' "$out/trace-$name.txt" 2>/dev/null | tr -s ' ' | tr '\n' ';')"
  done
done
say "== i18ab.sh done at +$(( $(date +%s) - start )) s; exit $rc"
exit $rc
