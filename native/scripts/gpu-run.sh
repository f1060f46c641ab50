#!/bin/bash
# gpu-run.sh (carried as run.sh): on a CUDA machine, from the carry folder made by
# make-carry.sh:  bash run.sh
# Runs the GPU check (many configs against the float64 reference, tile-pair counts, benchmark
# smoke test, error paths), then compute-sanitizer (memcheck, racecheck, initcheck, synccheck) on
# a few small cases. Logs go to $OUT (or /tmp/gna-gpu-check). Exit 0 only if everything passed.
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-gpu-check}
mkdir -p "$out"
if [ ! -x ./node ]; then
  if command -v xz >/dev/null 2>&1; then
    xz -dc node.xz > node
  else
    python3 -c "import lzma, sys; sys.stdout.buffer.write(lzma.open('node.xz').read())" > node
  fi
  chmod +x node
fi
echo "== host: $(uname -srm); GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'nvidia-smi not found')"
cat BUILDINFO.txt
echo "== ldd gna_native.node (no libcudart expected)"
ldd gna_native.node
export GNA_NATIVE_ADDON="$PWD/gna_native.node" UV_THREADPOOL_SIZE=16
./node gpu-check.js --out "$out/correctness.txt" "$@"
rc=$?
echo "== gpu-check exit $rc"
# The Hopper kernel's permuted path (dilation needs it) on every config the direct path took.
GNA_KERNEL=permuted ./node gpu-check.js --cases 0 --hopper-cases 60 --no-bench --out "$out/correctness-permuted.txt" > "$out/permuted.log" 2>&1
prc=$?
echo "== gpu-check under GNA_KERNEL=permuted: exit $prc; $(tail -n 20 "$out/permuted.log" | grep -E 'kernel sm90|chained|ALL PASSED|FAILED' | tr '\n' ';')"
[ "$prc" -eq 0 ] || rc=1
# The Hopper kernel with its grid capped at 3 CTAs, so that every CTA runs a stream of items
# (the cross-item pipeline: Q double buffer, the previous item's last PV beside the next's first S).
GNA_SM90_CTAS=3 ./node gpu-check.js --cases 0 --hopper-cases 120 --no-bench --out "$out/correctness-3ctas.txt" > "$out/3ctas.log" 2>&1
crc=$?
echo "== gpu-check with GNA_SM90_CTAS=3: exit $crc; $(tail -n 20 "$out/3ctas.log" | grep -E 'kernel sm90|chained|ALL PASSED|FAILED' | tr '\n' ';')"
[ "$crc" -eq 0 ] || rc=1
san=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
for tool in memcheck racecheck initcheck synccheck; do
  GNA_SM90_CTAS=2 "$san" --tool "$tool" --error-exitcode 99 --print-limit 20 ./node gpu-check.js --sanitizer > "$out/sanitizer-$tool.txt" 2>&1
  src=$?
  echo "== compute-sanitizer --tool $tool: exit $src; $(grep -cE '^PASS' "$out/sanitizer-$tool.txt") cases passed;" \
       "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$out/sanitizer-$tool.txt" | tail -n 1)"
  [ "$src" -eq 0 ] || rc=1
done
echo "== overall exit $rc"
exit $rc
