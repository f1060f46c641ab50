# GNA Studio's stand-in for NATTEN, computed with plain PyTorch (test/gpu/dinat/README.md): the
# 0.14-era ops transformers' DiNAT calls (natten2dqkrpb, natten2dav and their 1-D forms) and the
# fused na1d/na2d/na3d with stride, dilation and causal masks. Small problems only: the fused ops
# build the whole N×N mask. Version 0.14.6 so that transformers takes the legacy path it knows.
__version__ = "0.14.6"

from .functional import (  # noqa: F401
    na1d,
    na2d,
    na3d,
    natten1dav,
    natten1dqkrpb,
    natten2dav,
    natten2dqkrpb,
)
