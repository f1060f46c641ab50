"""A DiNAT-style hierarchical backbone: four stages of 2-D neighborhood attention whose per-layer
dilation comes from per-stage lists in the model factories.

Written for GNA Studio's e2e screenshots; it reproduces the pattern of
SHI-Labs/Neighborhood-Attention-Transformer classification/dinat.py (constructor defaults passed
down from a factory, `dilations[i]` per layer), on NATTEN's functional na2d.
"""
import torch
from torch import nn
from natten.functional import na2d


class DilatedNeighborhoodAttention(nn.Module):
    def __init__(self, dim: int, num_heads: int, kernel_size: int = 7, dilation: int = 1):
        super().__init__()
        self.num_heads = num_heads
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, h, w, c = x.shape
        q, k, v = self.qkv(x).reshape(b, h, w, 3, self.num_heads, c // self.num_heads).unbind(3)
        # gna: input_size=(56, 56)
        out = na2d(q, k, v, kernel_size=self.kernel_size, dilation=self.dilation)
        return self.proj(out.reshape(b, h, w, c))


class DiNATLayer(nn.Module):
    def __init__(self, dim: int, num_heads: int, kernel_size: int = 7, dilation: int = 1, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = DilatedNeighborhoodAttention(dim, num_heads, kernel_size=kernel_size, dilation=dilation)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class DiNATStage(nn.Module):
    def __init__(self, dim: int, depth: int, num_heads: int, kernel_size: int = 7, dilations=None):
        super().__init__()
        self.layers = nn.ModuleList(
            [
                DiNATLayer(dim, num_heads, kernel_size=kernel_size, dilation=1 if dilations is None else dilations[i])
                for i in range(depth)
            ]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


class DiNAT(nn.Module):
    def __init__(self, embed_dim: int = 64, depths=(3, 4, 6, 5), num_heads=(2, 4, 8, 16), kernel_size: int = 7, dilations=None):
        super().__init__()
        self.stages = nn.ModuleList(
            [
                DiNATStage(
                    embed_dim * 2**i,
                    depths[i],
                    num_heads[i],
                    kernel_size=kernel_size,
                    dilations=None if dilations is None else dilations[i],
                )
                for i in range(len(depths))
            ]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for stage in self.stages:
            x = stage(x)
        return x


def dinat_mini(**kwargs) -> DiNAT:
    return DiNAT(embed_dim=64, depths=[3, 4, 6, 5], num_heads=[2, 4, 8, 16], kernel_size=7,
                 dilations=[[1, 8, 1], [1, 4, 1, 4], [1, 2, 1, 2, 1, 2], [1, 1, 1, 1, 1]], **kwargs)


def dinat_large(**kwargs) -> DiNAT:
    return DiNAT(embed_dim=192, depths=[3, 4, 18, 5], num_heads=[6, 12, 24, 48], kernel_size=7,
                 dilations=[[1, 8, 1], [1, 4, 1, 4], [1, 2] * 9, [1, 1, 1, 1, 1]], **kwargs)
