# Shape-only stand-in for natten.functional.na2d (NATTEN 0.21's signature): returns the query.


def na2d(query, key, value, kernel_size, stride=1, dilation=1, is_causal=False, scale=None, additional_keys=None,
         additional_values=None, attention_kwargs=None, backend=None, q_tile_shape=None, kv_tile_shape=None,
         backward_q_tile_shape=None, backward_kv_tile_shape=None, backward_kv_splits=None,
         backward_use_pt_reduction=False, run_persistent_kernel=True, kernel_schedule=None, torch_compile=False,
         return_lse=False):
    return query
