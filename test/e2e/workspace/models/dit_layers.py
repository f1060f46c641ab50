"""Per-layer GNA configs for an image DiT: one attention call, configured from a dict by layer name."""
import torch
from natten.functional import na2d

GNA_LAYERS = {
    # The strided config: block-sparse on Hopper's 16x8 tiles.
    "blocks.0": {"kernel_size": (80, 80), "stride": (16, 16)},
    # Sliding window: correct, but partial tiles everywhere.
    "blocks.1": {"kernel_size": (80, 80)},
}


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, name: str) -> torch.Tensor:
    # gna: input_size=(256, 256)
    return na2d(q, k, v, **GNA_LAYERS[name])
