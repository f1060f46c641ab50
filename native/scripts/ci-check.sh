#!/bin/sh
# ci-check.sh: what CI (no GPU, nvcc installed) runs for the native engine, from the repo root,
# after `npm ci`:
#   1. both builds compile, load and answer: CPU-only (kept as native/build/cpu-only/) and CUDA
#      (GNA_REQUIRE_CUDA: SASS sm_80/86/89/90 + PTX compute_90 in the .node, no libcudart.so);
#   2. the native unit tests against the CPU-only build (npm test runs them against the CUDA
#      build, which says "no CUDA device" on a machine without a GPU);
#   3. the FA2-class kernel's shared-memory tile math on the host (fa2-tile-check.cu).
set -eu
cd "$(dirname "$0")/../.."
node native/scripts/build.js --both
npm run --silent compile-tests
GNA_NATIVE_ADDON="$PWD/native/build/cpu-only/gna_native.node" \
  npx mocha --no-config --timeout 20000 'out/test/unit/native/*.test.js'
tmp=$(mktemp -d)
nvcc -std=c++17 -Inative/src -o "$tmp/fa2-tile-check" native/scripts/fa2-tile-check.cu
"$tmp/fa2-tile-check"
rm -rf "$tmp"
