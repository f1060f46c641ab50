#!/bin/sh
# make-carry.sh [DEST]: everything the GPU check needs on a CUDA machine without node or a
# toolchain: the CUDA build of the addon (GNA_REQUIRE_CUDA=1), the bundled check script, run.sh,
# this machine's node (xz), and BUILDINFO.txt. DEST defaults to .carry/ (git-ignored).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.carry}
cd "$root"
GNA_REQUIRE_CUDA=1 node native/scripts/build.js
mkdir -p "$dest"
npx esbuild test/gpu/native-check.ts --bundle --platform=node --format=cjs --target=node20 --log-level=warning \
  --outfile="$dest/gpu-check.js"
cp native/build/Release/gna_native.node "$dest/"
cp native/scripts/gpu-run.sh "$dest/run.sh"
if [ ! -f "$dest/node.xz" ]; then
  xz -T2 -6 -c "$(command -v node)" > "$dest/node.xz"
fi
{
  echo "built:    $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(ldd --version | head -n 1)"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- native extension/native extension/core test/gpu || echo ' (+ uncommitted changes)')"
  echo "node:     $(node --version)"
  echo "nvcc:     $(nvcc --version 2>/dev/null | grep -o 'release.*' || echo none)"
  echo "sha256:   $(sha256sum "$dest/gna_native.node" | cut -c1-16)…  gna_native.node"
} > "$dest/BUILDINFO.txt"
ls -la "$dest"
