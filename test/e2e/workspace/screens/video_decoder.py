"""A video decoder's neighborhood-attention blocks: 3-D windows over (frames, height, width)
latent tokens, one window size per upsampling stage.

Written for GNA Studio's e2e screenshots; it reproduces the pattern of
huggingface/diffusers src/diffusers/models/autoencoders/ltx2_diffusion_decoder.py (per-stage
kernel tuples as constructor defaults, channels-last q/k/v for NATTEN's na3d), with the latent
layout given by a `# gna:` annotation since it depends on the video being decoded.
"""
import torch
from torch import nn
from natten.functional import na3d


class VideoNeighborhoodAttention(nn.Module):
    def __init__(self, dim: int, kernel_size=(3, 7, 7), head_dim: int = 64):
        super().__init__()
        self.heads = dim // head_dim
        self.head_dim = head_dim
        self.kernel_size = kernel_size
        self.to_qkv = nn.Linear(dim, 3 * dim)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
        b, t, h, w, c = hidden_states.shape
        q, k, v = self.to_qkv(hidden_states).view(b, t, h, w, 3, self.heads, self.head_dim).unbind(4)
        # gna: input_size=(16, 32, 48)
        out = na3d(q, k, v, kernel_size=self.kernel_size, scale=self.head_dim**-0.5)
        return self.to_out(out.reshape(b, t, h, w, c))


class VideoDecoderStage(nn.Module):
    def __init__(self, dim: int, depth: int, kernel_size=(3, 7, 7)):
        super().__init__()
        self.blocks = nn.ModuleList([VideoNeighborhoodAttention(dim, kernel_size=kernel_size) for _ in range(depth)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = x + block(x)
        return x


class VideoDecoder(nn.Module):
    def __init__(
        self,
        stage_channels=(1024, 512, 512, 256),
        stage_depths=(4, 6, 4, 2),
        stage_kernels=((3, 7, 7), (3, 7, 7), (3, 5, 5), (3, 5, 5)),
    ):
        super().__init__()
        self.stages = nn.ModuleList(
            [VideoDecoderStage(stage_channels[i], stage_depths[i], kernel_size=stage_kernels[i]) for i in range(len(stage_channels))]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for stage in self.stages:
            x = stage(x)
        return x
