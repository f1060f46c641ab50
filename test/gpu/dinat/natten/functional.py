"""Generalized neighborhood attention with plain PyTorch, as GNA-SPEC §2-§4 define it.

Per axis of length n, window k, stride s, dilation d: a query at coordinate x is in dilation
group x mod d at group coordinate x // d; inside its group (length n_g) it attends
  non-causal: the k keys centred on its stride group's leader, shifted inward at the borders;
  causal:     keys up to itself, at most k - 1 behind its stride group's last query.
The mask of a multi-axis layout is the AND of the per-axis masks.
"""

import torch


def _per_axis(value, rank, name):
    if isinstance(value, (list, tuple)):
        if len(value) != rank:
            raise ValueError("%s must have %d entries, got %r" % (name, rank, value))
        return [int(v) if not isinstance(v, bool) else v for v in value]
    return [value] * rank


def _group_coordinates(n, d, device):
    x = torch.arange(n, device=device)
    group = x % d
    coordinate = x // d
    length = n // d + (group < n % d).long()
    return group, coordinate, length


def _window_start(coordinate, length, k, s):
    """First key (group coordinate) of each query's non-causal window of k keys."""
    left, right = k // 2, k // 2 + k % 2 - 1
    leader = torch.minimum((coordinate // s) * s + s // 2, length - 1)
    centre = torch.maximum(torch.minimum(leader, length - 1 - right), torch.full_like(leader, left))
    return centre - left


def axis_mask(n, k, s, d, causal, device=None):
    """[n, n] bool: query x attends key y along this axis."""
    if not (k >= 2 and s >= 1 and d >= 1 and s <= k and k * d <= n):
        raise ValueError("invalid neighborhood attention config: n=%d, kernel_size=%d, stride=%d, dilation=%d" % (n, k, s, d))
    group, coordinate, length = _group_coordinates(n, d, device)
    same = group[:, None] == group[None, :]
    q, kv = coordinate[:, None], coordinate[None, :]
    if causal:
        leader = torch.minimum((coordinate // s) * s + s - 1, length - 1)[:, None]
        return same & (kv <= q) & (leader - kv < k)
    start = _window_start(coordinate, length, k, s)[:, None]
    return same & (kv >= start) & (kv < start + k)


def gna_mask(layout, kernel_size, stride=1, dilation=1, is_causal=False, device=None):
    """[N, N] bool over the flattened layout (row-major, as NATTEN's tensors are laid out)."""
    rank = len(layout)
    ks, ss, ds, cs = (_per_axis(v, rank, name) for v, name in ((kernel_size, "kernel_size"), (stride, "stride"), (dilation, "dilation"), (is_causal, "is_causal")))
    mask = None
    for n, k, s, d, c in zip(layout, ks, ss, ds, cs):
        m = axis_mask(int(n), k, s, d, bool(c), device)
        mask = m if mask is None else (mask[:, None, :, None] & m[None, :, None, :]).reshape(mask.shape[0] * n, mask.shape[1] * n)
    return mask


def _fused(rank):
    def op(query, key, value, kernel_size, stride=1, dilation=1, is_causal=False, scale=None, **kernel_options):
        """NATTEN 0.21's na{rank}d; kernel choices (backend, tile shapes, …) are accepted and unused."""
        if query.dim() != rank + 3:
            raise ValueError("na%dd expects [batch, *layout, heads, head_dim] tensors of rank %d" % (rank, rank + 3))
        unsupported = [k for k in ("additional_keys", "additional_values", "return_lse") if kernel_options.get(k)]
        if unsupported:
            raise NotImplementedError("the stand-in has no %s" % ", ".join(unsupported))
        batch, layout, heads, dim = query.shape[0], tuple(query.shape[1:-2]), query.shape[-2], query.shape[-1]
        mask = gna_mask(layout, kernel_size, stride, dilation, is_causal, query.device)
        flat = lambda t: t.reshape(batch, -1, heads, dim).transpose(1, 2)  # [batch, heads, N, dim]
        scores = flat(query) @ flat(key).transpose(-1, -2) * (dim ** -0.5 if scale is None else scale)
        weights = scores.masked_fill(~mask, float("-inf")).softmax(-1)
        return (weights @ flat(value)).transpose(1, 2).reshape(query.shape)

    op.__name__ = "na%dd" % rank
    return op


na1d = _fused(1)
na2d = _fused(2)
na3d = _fused(3)


def _neighbours(n, k, d, device):
    """[n, k] key index of each neighbour, and [n, k] its relative-position-bias index."""
    group, coordinate, length = _group_coordinates(n, d, device)
    start = _window_start(coordinate, length, k, 1)
    offsets = torch.arange(k, device=device)
    neighbour = start[:, None] + offsets[None, :]  # group coordinates
    bias = neighbour - coordinate[:, None] + (k - 1)
    return neighbour * d + group[:, None], bias


def _check_legacy(name, rank, tensor, kernel_size, dilation, rpb=None):
    """What NATTEN 0.14's legacy ops refuse, refused the same way (a Python error before any work):
    a tensor not shaped [batch, heads, *layout, head_dim], an axis shorter than kernel_size ×
    dilation, a relative position bias not shaped [heads, 2·kernel_size - 1, …]."""
    if tensor.dim() != rank + 3:
        raise ValueError("%s expects [batch, heads, *layout, head_dim] tensors of rank %d, got shape %s" % (name, rank + 3, tuple(tensor.shape)))
    layout = tuple(tensor.shape[2 : 2 + rank])
    for n in layout:
        if kernel_size * dilation > n:
            raise ValueError("%s: every layout axis must hold at least kernel_size × dilation = %d × %d tokens; "
                             "got layout %s (from a tensor of shape %s read as [batch, heads, *layout, head_dim])"
                             % (name, kernel_size, dilation, layout, tuple(tensor.shape)))
    if rpb is not None and tuple(rpb.shape) != (tensor.shape[1],) + (2 * kernel_size - 1,) * rank:
        raise ValueError("%s: the relative position bias must have shape %s for %d heads, got %s"
                         % (name, (tensor.shape[1],) + (2 * kernel_size - 1,) * rank, tensor.shape[1], tuple(rpb.shape)))


def natten1dqkrpb(query, key, rpb, kernel_size, dilation):
    """query, key [batch, heads, L, dim] → attention logits [batch, heads, L, kernel_size]."""
    _check_legacy("natten1dqkrpb", 1, query, kernel_size, dilation, rpb)
    index, bias = _neighbours(query.shape[2], kernel_size, dilation, query.device)
    logits = (query[:, :, :, None, :] * key[:, :, index, :]).sum(-1)
    return logits if rpb is None else logits + rpb[:, bias]


def natten1dav(attn, value, kernel_size, dilation):
    _check_legacy("natten1dav", 1, value, kernel_size, dilation)
    index, _ = _neighbours(value.shape[2], kernel_size, dilation, value.device)
    return (attn[..., None] * value[:, :, index, :]).sum(-2)


def natten2dqkrpb(query, key, rpb, kernel_size, dilation):
    """query, key [batch, heads, H, W, dim] → logits [batch, heads, H, W, kernel_size²] (+ rpb)."""
    _check_legacy("natten2dqkrpb", 2, query, kernel_size, dilation, rpb)
    rows, row_bias = _neighbours(query.shape[2], kernel_size, dilation, query.device)
    cols, col_bias = _neighbours(query.shape[3], kernel_size, dilation, query.device)
    keys = key[:, :, rows[:, None, :, None], cols[None, :, None, :], :]  # [b, h, H, W, k, k, dim]
    logits = (query[:, :, :, :, None, None, :] * keys).sum(-1)
    if rpb is not None:
        logits = logits + rpb[:, row_bias[:, None, :, None], col_bias[None, :, None, :]]
    return logits.flatten(-2)


def natten2dav(attn, value, kernel_size, dilation):
    _check_legacy("natten2dav", 2, value, kernel_size, dilation)
    rows, _ = _neighbours(value.shape[2], kernel_size, dilation, value.device)
    cols, _ = _neighbours(value.shape[3], kernel_size, dilation, value.device)
    values = value[:, :, rows[:, None, :, None], cols[None, :, None, :], :]
    weights = attn.unflatten(-1, (kernel_size, kernel_size))[..., None]
    return (weights * values).sum((-3, -2))
