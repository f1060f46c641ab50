"""3-D neighborhood attention for a HunyuanVideo-style DiT: 30 frames of 48x80 latent tokens."""
import torch
from torch import nn
from natten.functional import na3d


class VideoBlock(nn.Module):
    """Space-time attention, then an MLP. Its stride is wider than the window in time, which
    NATTEN refuses (stride must be <= kernel_size)."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self.to_qkv(x).unflatten(-1, (3, self.heads, -1)).unbind(-3)
        # gna: input_size=(30, 48, 80)
        out = na3d(q, k, v, kernel_size=(18, 24, 24), stride=(20, 8, 8))
        return x + self.mlp(out.flatten(-2))
