"""The GNA paper's two headline problems, as a model would call NATTEN.

FLUX-1 at 4K runs on a 256×256 latent with 80×80 windows; HunyuanVideo on 30×48×80 with
18×24×24 windows. `gna lint` shows the simulated speedup of each config and how to make the
sliding-window ones block-sparse.
"""
from natten.functional import na1d, na2d, na3d


def flux_attention(q, k, v, strided: bool):
    if strided:
        # gna: input_size=(256, 256)
        return na2d(q, k, v, kernel_size=(80, 80), stride=(16, 16))
    # gna: input_size=(256, 256)
    return na2d(q, k, v, kernel_size=(80, 80))


def hunyuan_attention(q, k, v):
    # gna: input_size=(30, 48, 80)
    return na3d(q, k, v, kernel_size=(18, 24, 24), q_tile_shape=(4, 8, 8), kv_tile_shape=(2, 8, 8))


def flattened_attention(q, k, v):
    # The 256×256 latent flattened to one sequence: windows wrap across rows.
    # gna: input_size=(256, 256)
    return na1d(q.flatten(1, 2), k.flatten(1, 2), v.flatten(1, 2), kernel_size=6400)
