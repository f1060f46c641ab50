"""An image transformer whose attention window is read from a JSON model config at run time, so
static analysis cannot know kernel_size, and the token layout depends on the image size.

Written for GNA Studio's e2e screenshots; it reproduces the pattern of crowsonkb/k-diffusion
k_diffusion/models/image_transformer_v2.py (NeighborhoodSelfAttentionBlock: the window size from
a level spec built from the model config that k_diffusion/config.py loads), here on NATTEN's
fused na2d with a fixed dilation.
"""
import json

import torch
from torch import nn
from natten.functional import na2d


class NeighborhoodSelfAttentionBlock(nn.Module):
    def __init__(self, d_model: int, d_head: int, kernel_size: int, dilation: int = 1):
        super().__init__()
        self.d_head = d_head
        self.n_heads = d_model // d_head
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.qkv_proj = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, h, w, _ = x.shape
        q, k, v = self.qkv_proj(x).view(n, h, w, 3, self.n_heads, self.d_head).unbind(3)
        x = na2d(q, k, v, kernel_size=self.kernel_size, dilation=self.dilation)
        return self.out_proj(x.reshape(n, h, w, -1))


def block_from_config(path: str) -> NeighborhoodSelfAttentionBlock:
    with open(path) as f:
        config = json.load(f)["model"]
    return NeighborhoodSelfAttentionBlock(config["width"], config["d_head"], kernel_size=config["kernel_size"], dilation=2)
