#!/bin/bash
# issue23.sh (carried as .carry/issue23.sh by make-carry.sh): issue 23's GPU session in one command
# on an H200, from the carry folder. Every step asks for the FA2-class portable kernel
# (GNA_KERNEL=fa2: kernel 'portable-fa2'; 'auto' does not pick it until this check passes). Work
# files go to $WORK (default /tmp/gna-issue23); after every stage they are packed into
# $OUT/results.tgz (the device tool returns few files), so a run stopped by a time limit still
# returns what it finished; $OUT/summary.txt holds the lines printed here.
#   1. sass-report.txt: registers, spills (LDL/STL), HMMA/LDSM/MUFU census of every kernel (cuobjdump);
#   2. smoke.txt: the curated cases and 24 random FA2 ones under a 240 s timeout (a hang stops here);
#   3. check/: the correctness check: curated, 120 random and 240 FA2 configs (every head dim,
#      dtype, rank, dilation, causal, stride, padding, multi-block Q tiles, partial KV steps)
#      against the float64 reference, tile-pair counts, benchmark smoke and error paths; then
#      compute-sanitizer memcheck, racecheck, initcheck and synccheck on small cases;
#   4. bench/: the side-by-side benchmark on issue 23's set (bench.sh --set issue23 --kernel fa2),
#      PASS or MISS per target in bench/table.txt.
# bash issue23.sh [--skip-check] [--skip-bench] [--only NAMES] [--repeats N]   (--only: bench problems)
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-issue23-out}
work=${WORK:-/tmp/gna-issue23}
mkdir -p "$out" "$work/check" "$work/bench"
skip_check=0 skip_bench=0 only=() repeats=5
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-check) skip_check=1 ;;
    --skip-bench) skip_bench=1 ;;
    --only) only=(--only "$2"); shift ;;
    --repeats) repeats=$2; shift ;;
  esac
  shift
done
sh unpack-node.sh || exit 3
say() { echo "$@" | tee -a "$out/summary.txt"; }
pack() { tar czf "$out/results.tgz" -C "$work" . 2>/dev/null; }
start=$(date +%s)
: > "$out/summary.txt"
say "== issue23.sh on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null); $(date -u +%FT%TZ)"
cat BUILDINFO.txt | tee -a "$out/summary.txt"
# (the full SASS listing stays out of results.tgz: tens of MB; the census per kernel is in the report)
OUT="$work/.." bash sass-report.sh gna_native.node > "$work/sass-report.txt" 2>&1
grep -E "gna_fa2_kernel" "$work/sass-report.txt" | cut -c1-220 | tee -a "$out/summary.txt"
pack
rc=0
export GNA_NATIVE_ADDON="$PWD/gna_native.node" UV_THREADPOOL_SIZE=16 GNA_KERNEL=fa2
# A new kernel that hangs would eat the whole call: a short check first, under a timeout.
timeout 240 ./node gpu-check.js --cases 0 --hopper-cases 0 --fa2-cases 24 --no-bench --out "$work/smoke.txt" > "$work/smoke.log" 2>&1
src=$?
say "== smoke check (curated + 24 FA2 cases, every head dim): exit $src; $(tail -n 1 "$work/smoke.log")"
pack
if [ "$src" = 3 ]; then
  say "== no usable GPU here (gpu-check exit 3): nothing more to run"; exit 3
fi
if [ "$src" = 124 ]; then
  say "== HANG: a kernel did not finish within 240 s; the last lines:"; tail -n 5 "$work/smoke.log" | tee -a "$out/summary.txt"; exit 1
fi
if [ "$skip_check" = 0 ]; then
  ./node gpu-check.js --cases 120 --hopper-cases 0 --fa2-cases 240 --out "$work/check/correctness.txt" > "$work/check/check.log" 2>&1 || rc=1
  grep -E "kernel fa2|kernel portable|kernel sm90|tile pairs visited|ALL PASSED|FAILED|^bench |PASS  |FAIL  " "$work/check/check.log" | cut -c1-240 | tee -a "$out/summary.txt"
  pack
  san=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  for tool in memcheck racecheck initcheck synccheck; do
    "$san" --tool "$tool" --error-exitcode 99 --print-limit 20 ./node gpu-check.js --sanitizer > "$work/check/sanitizer-$tool.txt" 2>&1
    s=$?
    say "== compute-sanitizer --tool $tool: exit $s; $(grep -cE '^PASS' "$work/check/sanitizer-$tool.txt") cases passed;" \
      "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$work/check/sanitizer-$tool.txt" | tail -n 1)"
    [ "$s" -eq 0 ] || rc=1
    pack
  done
  say "== check done at +$(( $(date +%s) - start )) s (exit $rc)"
fi
[ "$skip_bench" = 1 ] && { say "== no bench (--skip-bench); overall exit $rc"; pack; exit $rc; }
OUT="$work/bench" bash bench.sh --set issue23 --kernel fa2 --repeats "$repeats" "${only[@]}" > "$work/bench/run.log" 2>&1 || rc=1
grep -E "PASS|MISS" "$work/bench/run.log" | tee -a "$out/summary.txt"
say "== bench done at +$(( $(date +%s) - start )) s; overall exit $rc"
pack
exit $rc
