#!/bin/bash
# native/bench/run.sh (carried as bench.sh by native/scripts/make-carry.sh): the side-by-side
# benchmark on a CUDA machine with PyTorch, from the carry folder:
#   bash bench.sh [--only flux,hunyuan,1d-32k] [--repeats N] [--portable] [--diag] [--no-peers]
# 1. our kernel through node and the extension's benchmark API (bench.js -> ours.json);
# 2. the peers through PyTorch (peers.py -> peers.json): SDPA cuDNN and flash, FlexAttention;
# 3. one table (table.py -> table.txt). Files go to $OUT (or /tmp/gna-bench).
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-bench}
mkdir -p "$out"
if [ ! -x ./node ]; then
  if command -v xz >/dev/null 2>&1; then xz -dc node.xz > node; else
    python3 -c "import lzma, sys; sys.stdout.buffer.write(lzma.open('node.xz').read())" > node; fi
  chmod +x node
fi
only=() ours=() peers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=(--only "$2"); shift ;;
    --repeats) ours+=(--repeats "$2"); shift ;;
    --portable) ours+=(--portable) ;;
    --diag) ours+=(--diag) ;;
    --no-peers) peers=0 ;;
  esac
  shift
done
echo "== machine: $(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null); $(uname -srm)"
cat BUILDINFO.txt
export GNA_NATIVE_ADDON="$PWD/gna_native.node"
./node bench.js --out "$out/ours.json" "${only[@]}" "${ours[@]}" || exit 1
if [ "$peers" = 1 ]; then
  PYTHONUNBUFFERED=1 python3 peers.py --out "$out/peers.json" "${only[@]}" || exit 1
  python3 table.py "$out/ours.json" "$out/peers.json" | tee "$out/table.txt"
else
  python3 table.py "$out/ours.json" | tee "$out/table.txt"
fi
