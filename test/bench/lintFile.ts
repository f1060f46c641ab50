// A generated 10,000-line Python model file for the lint benchmark: ordinary PyTorch layers
// (docstrings, comments with non-ASCII, tensor code) with NATTEN calls among them, in the forms
// the linter reads (aliases, modules, config constants, per-layer dicts, annotations).

const HEADER = `"""A generated video/image model: many layers, a few of them neighborhood attention. é × 😀"""
import math
import torch
import torch.nn.functional as Fn
from torch import nn

import natten
import natten.functional as F
from natten import NeighborhoodAttention2D, na3d as attn3d

LATENT = (30, 48, 80)
WINDOW = (18, 24, 24)
GNA_LAYERS = {
    "blocks.0": {"kernel_size": WINDOW, "stride": (16, 8, 8)},
    "blocks.1": {"kernel_size": WINDOW},
    "blocks.2": {"kernel_size": (18, 24)},
}
`;

function plainLayer(i: number): string[] {
  return [
    `class Mlp${i}(nn.Module):`,
    `    """Feed-forward block ${i}: Linear → GELU → Linear (ratio ${2 + (i % 3)})."""`,
    ``,
    `    def __init__(self, dim: int = ${64 * (1 + (i % 4))}, ratio: int = ${2 + (i % 3)}):`,
    `        super().__init__()`,
    `        self.fc1 = nn.Linear(dim, dim * ratio)  # expand × ${2 + (i % 3)}`,
    `        self.fc2 = nn.Linear(dim * ratio, dim)`,
    `        self.drop = nn.Dropout(p=0.${i % 10})`,
    `        self.scale = math.sqrt(dim) ** -1`,
    ``,
    `    def forward(self, x: torch.Tensor) -> torch.Tensor:`,
    `        # "strings" with # and quotes: it's fine`,
    `        y = self.fc2(self.drop(Fn.gelu(self.fc1(x))))`,
    `        return x + y * self.scale`,
    ``,
  ];
}

function attentionLayer(i: number): string[] {
  const forms = [
    [`        # gna: input_size=(64, 64)`, `        out = F.na2d(q, k, v, kernel_size=(${7 + 2 * (i % 5)}, ${7 + 2 * (i % 5)}), stride=(${1 + (i % 4)}, 1))`],
    [`        # gna: input_size=LATENT`, `        out = attn3d(q, k, v, kernel_size=WINDOW, stride=(${1 + (i % 16)}, 8, 8))`],
    [`        # gna: input_size=LATENT`, `        out = natten.na3d(q, k, v, **GNA_LAYERS[self.name])`],
    [`        out = natten.na1d(q, k, v, kernel_size=${128 * (1 + (i % 8))})  # gna: input_size=${4096 * (1 + (i % 2))}`],
  ][i % 4];
  return [
    `class Attention${i}(nn.Module):`,
    `    """Neighborhood attention layer ${i}."""`,
    ``,
    `    def __init__(self, name: str, dim: int = 512, heads: int = 8):`,
    `        super().__init__()`,
    `        self.name = name`,
    `        self.heads = heads`,
    `        self.qkv = nn.Linear(dim, 3 * dim)`,
    `        # gna: input_size=(56, 56)`,
    `        self.local = NeighborhoodAttention2D(dim, heads, ${5 + 2 * (i % 3)}, dilation=${1 + (i % 4)})`,
    ``,
    `    def forward(self, x: torch.Tensor) -> torch.Tensor:`,
    `        q, k, v = self.qkv(x).chunk(3, dim=-1)`,
    ...forms,
    `        return out`,
    ``,
  ];
}

/**
 * `lines` lines of model code with one NATTEN-bearing layer every `every` layers (each such layer
 * has two NATTEN calls: a module and a functional call).
 */
export function generateModelFile(lines: number, every: number): { text: string; attentionLayers: number } {
  const out = HEADER.split('\n');
  let i = 0;
  let attentionLayers = 0;
  while (out.length < lines) {
    const block = i % every === every - 1 ? attentionLayer(i) : plainLayer(i);
    if (i % every === every - 1) attentionLayers++;
    out.push(...block);
    i++;
  }
  return { text: out.slice(0, lines).join('\n') + '\n', attentionLayers };
}
