"""Mask preview e2e fixture: a 1-D strided window over 4096 tokens."""
from natten.functional import na1d


def local_attention(q, k, v):
    # gna: input_size=(4096,)
    return na1d(q, k, v, kernel_size=512, stride=64)
