#!/bin/sh
# make-carry.sh [DEST]: everything the GPU check and the side-by-side benchmark need on a CUDA
# machine without node or a toolchain: the CUDA build of the addon (GNA_REQUIRE_CUDA=1), the
# bundled check (gpu-check.js, run.sh), the backward's check (backward-check.js) and benchmark
# (bench.js, bench.sh, peers.py, table.py, backward_table.py, issue18.json, issue23.json), issues
# 18's, 21's and 23's one commands (issue18.sh, issue21.sh, issue23.sh), issue 18's variant A/B
# (i18ab.sh) and the session runner (gpu-session.sh),
# this machine's node (xz), and BUILDINFO.txt. DEST defaults to .carry/ (git-ignored).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.carry}
cd "$root"
GNA_REQUIRE_CUDA=1 node native/scripts/build.js
mkdir -p "$dest"
for entry in native-check:gpu-check bench:bench backward-check:backward-check; do
  npx esbuild "test/gpu/${entry%%:*}.ts" --bundle --platform=node --format=cjs --target=node20 --log-level=warning \
    --outfile="$dest/${entry#*:}.js"
done
cp native/build/Release/gna_native.node "$dest/"
cp native/scripts/gpu-run.sh "$dest/run.sh"
cp native/bench/run.sh "$dest/bench.sh"
cp native/bench/peers.py native/bench/table.py native/bench/backward_table.py native/bench/ab.py native/bench/trace.py native/bench/sustained.sh native/bench/issue18.json \
  native/bench/issue23.json native/scripts/sass-report.sh native/scripts/issue18.sh native/scripts/issue21.sh native/scripts/issue23.sh native/scripts/gpu-session.sh native/scripts/i18ab.sh \
  native/scripts/unpack-node.sh "$dest/"
if [ ! -f "$dest/node.xz" ]; then
  xz -T2 -6 -c "$(command -v node)" > "$dest/node.xz"
fi
{
  echo "built:    $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(ldd --version | head -n 1)"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- native extension/native extension/core test/gpu && [ -z "$(git ls-files --others --exclude-standard native test/gpu)" ] || echo ' (+ uncommitted changes)')"
  echo "node:     $(node --version)"
  echo "nvcc:     $(nvcc --version 2>/dev/null | grep -o 'release.*' || echo none)"
  echo "sha256:   $(sha256sum "$dest/gna_native.node" | cut -c1-16)…  gna_native.node"
} > "$dest/BUILDINFO.txt"
ls -la "$dest"
