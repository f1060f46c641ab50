"""Half-typed code: the linter and every provider must cope without a crash."""
import torch
from natten.functional import na2d, na3d


def attend(q, k, v, size):
    out = na2d(q, k, v, kernel_size=(7, 7), stride=(size, 2)
    x = na3d(q, k, v, kernel_size=
    return out[[(
