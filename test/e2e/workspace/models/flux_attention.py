"""Neighborhood attention for a FLUX-style image transformer at 4K: 256x256 latent tokens."""
import torch
from torch import nn
from natten.functional import na2d


class StridedImageAttention(nn.Module):
    """Strided windows: every 16x16 group of queries shares one 80x80 window."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, h, w, c = x.shape
        q, k, v = self.qkv(x).reshape(b, h, w, 3, self.heads, c // self.heads).unbind(3)
        # gna: input_size=(256, 256)
        out = na2d(q, k, v, kernel_size=(80, 80), stride=(16, 16))
        return self.proj(out.reshape(b, h, w, c))


class SlidingImageAttention(nn.Module):
    """Plain sliding windows (stride 1): correct, but far from the speed the tiles allow."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, h, w, c = x.shape
        q, k, v = self.qkv(x).reshape(b, h, w, 3, self.heads, c // self.heads).unbind(3)
        # gna: input_size=(256, 256)
        out = na2d(q, k, v, kernel_size=(80, 80), stride=(1, 1))
        return self.proj(out.reshape(b, h, w, c))
