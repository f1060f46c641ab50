"""A small DiNAT-style model in plain PyTorch, for a real run where transformers is missing: four
stages (56×56, 28×28, 14×14, 7×7 tokens for a 224×224 image), each layer a neighborhood-attention
block with a relative position bias and alternating dilation, calling natten2dqkrpb and natten2dav
as transformers' DiNAT does (the pattern of huggingface/transformers
src/transformers/models/dinat/modeling_dinat.py, NeighborhoodAttention.forward; written here).
Random weights; one forward pass on two images."""

import torch
from natten.functional import natten2dav, natten2dqkrpb
from torch import nn


class NeighborhoodAttention(nn.Module):
    def __init__(self, dim, heads, kernel_size, dilation):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.kernel_size, self.dilation = kernel_size, dilation
        self.qkv = nn.Linear(dim, 3 * dim)
        self.rpb = nn.Parameter(torch.zeros(heads, 2 * kernel_size - 1, 2 * kernel_size - 1))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        batch, height, width, dim = x.shape
        qkv = self.qkv(x).reshape(batch, height, width, 3, self.heads, self.head_dim).permute(3, 0, 4, 1, 2, 5)
        query, key, value = qkv[0] * self.head_dim ** -0.5, qkv[1], qkv[2]
        attention = natten2dqkrpb(query, key, self.rpb, self.kernel_size, self.dilation).softmax(-1)
        out = natten2dav(attention, value, self.kernel_size, self.dilation)
        return self.proj(out.permute(0, 2, 3, 1, 4).reshape(batch, height, width, dim))


class Stage(nn.Module):
    def __init__(self, dim, heads, depth, dilations):
        super().__init__()
        self.layers = nn.ModuleList(NeighborhoodAttention(dim, heads, 7, dilations[i % len(dilations)]) for i in range(depth))

    def forward(self, x):
        for layer in self.layers:
            x = x + layer(x)
        return x


class TinyDinat(nn.Module):
    def __init__(self, dims=(64, 128, 256, 512), heads=(2, 4, 8, 16), depths=(3, 4, 6, 5), dilations=((1, 8), (1, 4), (1, 2), (1,))):
        super().__init__()
        self.embed = nn.Conv2d(3, dims[0], kernel_size=4, stride=4)
        self.stages = nn.ModuleList(Stage(d, h, n, dl) for d, h, n, dl in zip(dims, heads, depths, dilations))
        self.downsample = nn.ModuleList(nn.Linear(4 * dims[i], dims[i + 1]) for i in range(3))

    def forward(self, images):
        x = self.embed(images).permute(0, 2, 3, 1)
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i < 3:
                b, h, w, c = x.shape
                x = self.downsample[i](x.reshape(b, h // 2, 2, w // 2, 2, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h // 2, w // 2, 4 * c))
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    with torch.no_grad():
        out = TinyDinat().to(device).eval()(torch.randn(2, 3, 224, 224, device=device))
    print("tiny DiNAT on %s: output %s" % (device, tuple(out.shape)))
