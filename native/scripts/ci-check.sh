#!/bin/sh
# ci-check.sh: what CI (no GPU, nvcc installed) runs for the native engine, from the repo root,
# after `npm ci`:
#   1. both builds compile, load and answer: CPU-only (kept as native/build/cpu-only/) and CUDA
#      (GNA_REQUIRE_CUDA: SASS sm_80/sm_90 + PTX compute_90 in the .node, no libcudart.so);
#   2. the native unit tests against the CPU-only build (npm test runs them against the CUDA
#      build, which says "no CUDA device" on a machine without a GPU).
set -eu
cd "$(dirname "$0")/../.."
node native/scripts/build.js --both
npm run --silent compile-tests
GNA_NATIVE_ADDON="$PWD/native/build/cpu-only/gna_native.node" \
  npx mocha --no-config --timeout 20000 'out/test/unit/native/*.test.js'
