"""FLUX-style attention at 4K in strided windows: every 16x16 group of queries shares one 80x80 window."""
import torch
from torch import nn
from natten.functional import na2d

LATENT = (256, 256)  # latent tokens of a 4096x4096 image


class ImageAttention(nn.Module):
    def __init__(self, dim: int, heads: int, sliding: bool = False):
        super().__init__()
        self.heads, self.sliding = heads, sliding
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self.qkv(x).unflatten(-1, (3, self.heads, -1)).unbind(-3)
        if self.sliding:
            return self.proj(self.sliding_window(q, k, v).flatten(-2))
        # gna: input_size=LATENT
        out = na2d(q, k, v, kernel_size=(80, 80), stride=(16, 16))
        return self.proj(out.flatten(-2))

    @staticmethod
    def sliding_window(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        """Plain sliding windows (stride 1): correct, but far from the speed the tiles allow."""
        # gna: input_size=LATENT
        return na2d(q, k, v, kernel_size=(80, 80), stride=(1, 1))
