#!/usr/bin/env python3
# cubin-text-hash.py CUBIN: sha256 (first 16 hex digits), size and name of every .text section of
# an sm_90a cubin, without cuobjdump (the build machine has none): how a change proves a kernel's
# machine code byte-identical. Make the cubin as the build does, plus -cubin:
#   nvcc -O3 -std=c++17 -Xcompiler -fPIC -lineinfo -gencode arch=compute_90a,code=sm_90a -Inative/src \
#     -cubin -o /tmp/sm90.cubin native/src/gna_sm90.cu
import hashlib, struct, sys
def sections(path):
    d = open(path, 'rb').read()
    assert d[:4] == b'\x7fELF' and d[4] == 2, 'ELF64 expected'
    shoff, = struct.unpack_from('<Q', d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3A)
    hdrs = [struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize) for i in range(shnum)]
    stro = hdrs[shstrndx][4]
    for h in hdrs:
        name = d[stro + h[0]: d.index(b'\0', stro + h[0])].decode()
        yield name, d[h[4]: h[4] + h[5]] if h[1] != 8 else b''
for name, body in sections(sys.argv[1]):
    if name.startswith('.text.'):
        print(hashlib.sha256(body).hexdigest()[:16], len(body), name)
