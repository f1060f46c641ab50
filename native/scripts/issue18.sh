#!/bin/bash
# issue18.sh (carried as .carry/issue18.sh by make-carry.sh): issue 18's GPU session in one
# command on an H200, from the carry folder; everything lands in $OUT (or /tmp/gna-issue18) as it
# is made, so a run stopped by a time limit still returns what it finished:
#   1. sass-report.txt: registers, spills (LDL/STL), HGMMA/UTMALDG/MUFU census of every kernel (cuobjdump);
#   2. smoke.txt: the curated and 24 Hopper cases under a 240 s timeout (a hanging build stops here);
#   3. check/: the correctness check (run.sh): every Hopper head dim (32, 64, 128, 256) and dtype
#      against the float64 reference, the permuted variant, 3 CTAs, compute-sanitizer;
#   4. bench/: the side-by-side benchmark on issue 18's problem set (bench.sh --set issue18), with
#      PASS or MISS per target in bench/table.txt.
# bash issue18.sh [--skip-check] [--skip-bench] [--only NAMES]   (--only: bench problems, comma-separated)
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-issue18}
mkdir -p "$out/check" "$out/bench"
skip_check=0 skip_bench=0 only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-check) skip_check=1 ;;
    --skip-bench) skip_bench=1 ;;
    --only) only=(--only "$2"); shift ;;
  esac
  shift
done
if [ ! -x ./node ]; then
  if command -v xz >/dev/null 2>&1; then xz -dc node.xz > node; else
    python3 -c "import lzma, sys; sys.stdout.buffer.write(lzma.open('node.xz').read())" > node; fi
  chmod +x node
fi
start=$(date +%s)
echo "== issue18.sh on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"
cat BUILDINFO.txt
OUT="$out" bash sass-report.sh gna_native.node > "$out/sass-report.txt" 2>&1
grep -E "gna_sm90_kernel" "$out/sass-report.txt" | cut -c1-200
rc=0
# A new build that hangs would eat the whole call: a short check first, under a timeout.
export GNA_NATIVE_ADDON="$PWD/gna_native.node"
# The new head dims' builds run by default only once they pass this check (gna_hopper_select.h:
# hopper_checked_on_gpu): until then every step here asks for them.
export GNA_KERNEL=hopper
timeout 240 ./node gpu-check.js --cases 0 --hopper-cases 24 --no-bench --out "$out/smoke.txt" > "$out/smoke.log" 2>&1
src=$?
echo "== smoke check (curated + 24 Hopper cases, every head dim): exit $src; $(tail -n 1 "$out/smoke.log")"
if [ "$src" = 124 ]; then
  echo "== HANG: a kernel did not finish within 240 s; the last cases started:"; tail -n 5 "$out/smoke.log"; exit 1
fi
if [ "$skip_check" = 0 ]; then
  OUT="$out/check" bash run.sh --cases 120 --hopper-cases 240 > "$out/check/run.log" 2>&1 || rc=1
  grep -E "^== |kernel sm90|ALL PASSED|FAILED" "$out/check/run.log" | cut -c1-240
  echo "== check done at +$(( $(date +%s) - start )) s (exit $rc)"
fi
[ "$skip_bench" = 1 ] && { echo "== no bench (--skip-bench); overall exit $rc"; exit $rc; }
OUT="$out/bench" bash bench.sh --set issue18 "${only[@]}" > "$out/bench/run.log" 2>&1 || rc=1
grep -E "PASS|MISS" "$out/bench/run.log"
echo "== bench done at +$(( $(date +%s) - start )) s; overall exit $rc"
exit $rc
