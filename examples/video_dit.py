"""A video DiT (HunyuanVideo-sized latent) with a GNA config per attention layer.

NATTEN 0.21 functional API; the Hopper kernels' 2×8×8 tiles are passed explicitly.
"""
import torch
from torch import nn

import natten

LATENT = (30, 48, 80)  # frames × height × width of the latent video
HEADS, HEAD_DIM = 24, 128

GNA_LAYERS = {
    # The GNA paper's strided config: perfectly block-sparse.
    "double_blocks.0": {"kernel_size": (18, 24, 24), "stride": (16, 8, 8)},
    # Sliding window: partial tiles everywhere (a stride would fix it).
    "double_blocks.1": {"kernel_size": (18, 24, 24)},
    # A 2-D window given to a 3-D op.
    "single_blocks.0": {"kernel_size": (24, 24)},
    # Stride larger than the window along time.
    "single_blocks.1": {"kernel_size": (18, 24, 24), "stride": (20, 8, 8)},
}


class DiTBlock(nn.Module):
    def __init__(self, name: str):
        super().__init__()
        dim = HEADS * HEAD_DIM
        self.gna = GNA_LAYERS[name]
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, h, w, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, h, w, 3, HEADS, HEAD_DIM).unbind(dim=4)
        # gna: input_size=LATENT, head_dim=HEAD_DIM
        out = natten.na3d(q, k, v, **self.gna, q_tile_shape=(2, 8, 8), kv_tile_shape=(2, 8, 8))
        return x + self.proj(out.reshape(b, t, h, w, d))
