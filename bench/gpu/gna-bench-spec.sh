#!/bin/bash
# gna-bench-spec.sh: `gna bench` on the problems of GNA-SPEC §6/§8, on a CUDA machine without a
# toolchain. Run from a folder holding cli.js (dist/cli.js), gna_native.node (CUDA build) and
# node.xz (see bench/gpu/README.md); prints one report per problem.
set -u
cd "$(dirname "$0")" || exit 3
if [ ! -x ./node ]; then
  python3 -c "import lzma, sys; sys.stdout.buffer.write(lzma.open('node.xz').read())" > node && chmod +x node
fi
export GNA_NATIVE_ADDON="$PWD/gna_native.node"
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ); GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo unknown)"
rc=0
run() {
  echo "\$ gna bench $*"
  ./node cli.js bench "$@" || rc=1
  echo
}
common=(-n 24 -d 128 --dtype bf16 --repeats 10 --warmup 3)
run -i 256 256 -w 80 80 -s 1 1 --q-tile 16 8 --kv-tile 16 8 "${common[@]}"
run -i 256 256 -w 80 80 -s 16 16 --q-tile 16 8 --kv-tile 16 8 "${common[@]}"
run -i 30 48 80 -w 18 24 24 -s 1 1 1 --q-tile 2 8 8 --kv-tile 2 8 8 "${common[@]}"
run -i 30 48 80 -w 18 24 24 -s 16 8 8 --q-tile 2 8 8 --kv-tile 2 8 8 "${common[@]}"
run -i 30 48 80 -w 18 24 24 -s 1 1 1 --q-tile 4 8 8 --kv-tile 2 8 8 "${common[@]}"
run -i 32768 -w 2048 -s 1 --q-tile 128 --kv-tile 128 -n 1 -d 128 --dtype bf16 --repeats 20
run -i 32768 -w 2048 -s 256 --q-tile 128 --kv-tile 128 -n 1 -d 128 --dtype bf16 --repeats 20
echo "== exit $rc"
exit $rc
