"""DiNAT-style image backbone on NATTEN 0.21 modules.

Run `gna lint examples/` to see what the linter says about each stage: the token layout of a
stage comes from the `# gna:` annotation, its config from STAGES.
"""
import torch
from torch import nn
from natten import NeighborhoodAttention2D

# Feature map per stage for 224×224 images with a 4× patch embedding.
LAYOUT = {"stage1": (56, 56), "stage2": (28, 28), "stage3": (14, 14), "stage4": (7, 7)}

STAGES = {
    "stage1": dict(embed_dim=64, num_heads=2, kernel_size=7, dilation=8),
    "stage2": dict(embed_dim=128, num_heads=4, kernel_size=7, dilation=4),
    # 7 × 3 = 21 tokens of reach on a 14×14 map: NATTEN refuses this.
    "stage3": dict(embed_dim=256, num_heads=8, kernel_size=7, dilation=3),
    # The window is the whole 7×7 map: plain dense attention in disguise.
    "stage4": dict(embed_dim=512, num_heads=16, kernel_size=7),
}


class NATLayer(nn.Module):
    def __init__(self, stage: str, mlp_ratio: float = 4.0):
        super().__init__()
        cfg = STAGES[stage]
        dim = cfg["embed_dim"]
        self.norm1 = nn.LayerNorm(dim)
        # gna: input_size=LAYOUT[stage]
        self.attn = NeighborhoodAttention2D(**cfg)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Downsample(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.reduction = nn.Conv2d(dim, 2 * dim, kernel_size=3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.reduction(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
