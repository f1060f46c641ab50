"""Mask preview e2e fixture: HunyuanVideo-sized 3-D windows, strided to be block-sparse."""
from natten.functional import na3d


def video_attention(q, k, v):
    # gna: input_size=(30, 48, 80)
    return na3d(q, k, v, kernel_size=(18, 24, 24), stride=(16, 8, 8))
