"""3-D neighborhood attention for a HunyuanVideo-style DiT: 30 frames of 48x80 latent tokens."""
import torch
from torch import nn
from natten.functional import na3d


class VideoAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, h, w, c = x.shape
        q, k, v = self.qkv(x).reshape(b, t, h, w, 3, self.heads, c // self.heads).unbind(4)
        # gna: input_size=(30, 48, 80)
        out = na3d(q, k, v, kernel_size=(18, 24, 24), stride=(20, 8, 8))
        return self.proj(out.reshape(b, t, h, w, c))
