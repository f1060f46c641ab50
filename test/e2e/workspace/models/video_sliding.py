"""Sliding-window 3-D attention over a HunyuanVideo-sized latent, on the default Hopper tiles."""
import torch
from natten.functional import na3d


def video_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    # gna: input_size=(30, 48, 80)
    return na3d(q, k, v, kernel_size=(18, 24, 24), stride=(1, 1, 1))
