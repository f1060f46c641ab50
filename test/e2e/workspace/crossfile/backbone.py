# A backbone block whose attention config comes from its constructor's parameters: the values
# are in the factory in factory.py. Written for GNA Studio's e2e tests, modelled on the pattern of
# SHI-Labs/Neighborhood-Attention-Transformer classification/dinat.py (a block class taking
# kernel_size and dilation, model factories passing per-stage literal lists), split over two files
# as its detection and segmentation backbones are.
import torch.nn as nn
from natten import NeighborhoodAttention2D


class DilatedBlock(nn.Module):
    def __init__(self, dim, heads, kernel_size=7, dilation=1):
        super().__init__()
        # gna: input_size=(56, 56)
        self.attn = NeighborhoodAttention2D(dim, heads, kernel_size=kernel_size, dilation=dilation)
