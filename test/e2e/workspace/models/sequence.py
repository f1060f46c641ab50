"""1-D neighborhood attention over a long token sequence; its length comes from the settings."""
import torch
from natten.functional import na1d


def local_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return na1d(q, k, v, kernel_size=2048, stride=256)
