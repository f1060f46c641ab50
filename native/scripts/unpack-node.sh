#!/bin/sh
# unpack-node.sh (carried beside node.xz by make-carry.sh): ./node from node.xz, once; with xz, or
# Python's lzma where the GPU machine has no xz.
cd "$(dirname "$0")" || exit 3
[ -x ./node ] && exit 0
if command -v xz >/dev/null 2>&1; then xz -dc node.xz > node; else
  python3 -c "import lzma, sys; sys.stdout.buffer.write(lzma.open('node.xz').read())" > node; fi
chmod +x node
