"""Peers of the side-by-side benchmark (native/bench/run.sh): on the problems of test/gpu/bench.ts,
dense attention through PyTorch SDPA (cuDNN and flash backends) and GNA through FlexAttention
on the token-permuted layout with a block mask of 128x128 blocks (the same tile shapes as ours).

    python3 peers.py --out peers.json [--set issue18|issue23] [--only flux,hunyuan] [--repeats 10]

--set issue18 / issue23: a named problem set (issue18.json, issue23.json beside this script, as
test/gpu/bench.ts reads it): per problem its head dim, dtype, batch, dilation and causal axes;
FlexAttention permutes into the problem's peerTile (128 tokens), or runs on the caller's row-major
order where the tiles do not divide the layout (peerTile null). Issue 23's table compares the
portable kernels with the SDPA flash rows (FlashAttention-2, the same class of instructions).

--backward (issue 21) adds, for every dense backend and FlexAttention config, the backward pass
alone (torch.autograd.grad of the output on a saved forward graph, retain_graph) and the training
step (forward then backward), as rows of "backwardRows" in the JSON (pass: backward | training;
TFLOP/s counted as 2.5x the forward's FLOPs: five matrix products per tile pair against two).

Every timing: CUDA events around the call, after warm-up, median of repeats, random normal
bf16 inputs (never zeros); a GPU spin before each timed call keeps host launch latency out. FlexAttention's time is reported alone and with its token
permutation (Q, K, V into tile order, the output back), which a user of it has to pay too.
"""
import argparse
import json
import math
import os
import time
import warnings

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

# Same problems, in the same order (shortest first), as test/gpu/bench.ts (PROBLEMS); the table
# script joins them by name and label.
PROBLEMS = [
    dict(name="1d-32k", layout=(32768,), heads=1, tile=(128,),
         configs=[("w2048 s256", (2048,), (256,)), ("w2048 s1", (2048,), (1,))]),
    dict(name="flux", layout=(256, 256), heads=24, tile=(16, 8),
         configs=[("w80x80 s16x16", (80, 80), (16, 16)), ("w80x80 s1", (80, 80), (1, 1))]),
    dict(name="hunyuan", layout=(30, 48, 80), heads=24, tile=(2, 8, 8),
         configs=[("w18x24x24 s16x8x8", (18, 24, 24), (16, 8, 8)), ("w18x24x24 s1", (18, 24, 24), (1, 1, 1))]),
]

HEAD_DIM = 128
DTYPE = torch.bfloat16


CHAIN = 1  # --chain N: N back-to-back calls between the events, time per call (as our side)


def timed(fn, warmup=3, repeats=10):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        # As on our side: the GPU spins while Python enqueues the call, so the events time the
        # GPU's work, not the host's launch latency.
        torch.cuda._sleep(2_000_000 * CHAIN)
        a.record()
        for _ in range(CHAIN):
            fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b) / CHAIN)
    times.sort()
    n = len(times)
    return times[n // 2] if n % 2 else 0.5 * (times[n // 2 - 1] + times[n // 2])


BACKWARD_FLOP_RATIO = 2.5  # as extension/core/backward.ts BACKWARD_FLOP_RATIO


def time_backward(attend, inputs, repeats):
    """(backward ms, training-step ms) of attend(q, k, v) -> out through PyTorch autograd: the
    backward alone re-runs torch.autograd.grad on one saved graph; the training step runs the
    forward and the backward."""
    q, k, v = (t.detach().requires_grad_(True) for t in inputs)
    out = attend(q, k, v)
    grad = torch.randn_like(out)
    backward = timed(lambda: torch.autograd.grad(out, (q, k, v), grad, retain_graph=True), repeats=repeats)
    training = timed(lambda: torch.autograd.grad(attend(q, k, v), (q, k, v), grad), repeats=repeats)
    del out, grad
    return backward, training


def backward_rows(problem, config, impl, flops, backward, training):
    """Two rows (backward, training) with the forward's FLOPs scaled by the backward's ratio."""
    rows = []
    for kind, ms, work in (("backward", backward, flops * BACKWARD_FLOP_RATIO), ("training", training, flops * (1 + BACKWARD_FLOP_RATIO))):
        rows.append(dict(problem=problem, config=config, impl=impl, **{"pass": kind}, attentionMs=ms, tflops=work / ms / 1e9))
        print(f"{problem} {config} {impl} {kind}: {ms:.3f} ms, {work / ms / 1e9:.0f} TFLOP/s", flush=True)
    return rows


def axis_window(x, n, k, s):
    """GNA-SPEC section 2, non-causal: [start, end] of query coordinate x (tensor) on one axis."""
    left = k // 2
    right = left + (k % 2) - 1
    leader = torch.clamp((x // s) * s + s // 2, max=n - 1)
    centre = torch.clamp(leader, min=left, max=n - 1 - right)
    return centre - left, centre + right


def axis_attends(qx, kx, n, k, s, d, causal):
    """GNA-SPEC sections 2-3 on one axis (tensors qx, kx): the key shares the query's dilation group
    and lies in its window over the group's members (causal: the keys up to the query)."""
    g = qx % d
    q, kg = qx // d, kx // d
    ng = (n - g + d - 1) // d  # members of the query's group: ceil((n - g) / d)
    if causal:
        leader = torch.minimum((q // s) * s + s - 1, ng - 1)
        lo, hi = torch.clamp(leader - k + 1, min=0), q
    else:
        left = k // 2
        right = left + (k % 2) - 1
        leader = torch.minimum((q // s) * s + s // 2, ng - 1)
        centre = torch.minimum(torch.clamp(leader, min=left), ng - 1 - right)
        lo, hi = centre - left, centre + right
    return (kx % d == g) & (kg >= lo) & (kg <= hi)


def row_major_coords(idx, layout):
    coords = [None] * len(layout)
    for d in reversed(range(len(layout))):
        coords[d] = idx % layout[d]
        idx = idx // layout[d]
    return coords


def general_mask_mod(layout, tile, window, stride, dilation, causal):
    """Any GNA config; tokens in tile order of `tile`, or row-major where tile is None."""
    def coords(idx):
        return tile_order_coords(idx, layout, tile) if tile else row_major_coords(idx, layout)

    def mask_mod(b, h, q_idx, kv_idx):
        qc, kc = coords(q_idx), coords(kv_idx)
        keep = None
        for d in range(len(layout)):
            m = axis_attends(qc[d], kc[d], layout[d], window[d], stride[d], dilation[d], causal[d])
            keep = m if keep is None else keep & m
        return keep
    return mask_mod


def set_problems(name):
    """A named set (issue18.json, issue23.json) as PROBLEMS-like entries (with head dim, dtype, batch,
    dilation, causal)."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.json")) as f:
        problems = json.load(f)["problems"]
    out = []
    for p in problems:
        r = len(p["layout"])
        configs = [(c["label"], tuple(c["window"]), tuple(c["stride"]), tuple(c.get("dilation", [1] * r)),
                    tuple(c.get("causal", [False] * r))) for c in p["configs"]]
        out.append(dict(name=p["name"], layout=tuple(p["layout"]), heads=p["heads"], batch=p["batch"], head_dim=p["headDim"],
                        dtype=p["dtype"], tile=tuple(p["peerTile"]) if p["peerTile"] else None, configs=configs))
    return out


def tile_order_coords(idx, layout, tile):
    """Coordinates of token `idx` of the token-permuted sequence (tiles row-major over the tile
    grid, tokens row-major inside a tile); the layouts here are divisible by the tiles."""
    grid = [n // t for n, t in zip(layout, tile)]
    per_tile = math.prod(tile)
    t_idx, off = idx // per_tile, idx % per_tile
    coords = [None] * len(layout)
    for d in reversed(range(len(layout))):
        coords[d] = (t_idx % grid[d]) * tile[d] + off % tile[d]
        t_idx, off = t_idx // grid[d], off // tile[d]
    return coords


def gna_mask_mod(layout, tile, window, stride):
    def mask_mod(b, h, q_idx, kv_idx):
        qc = tile_order_coords(q_idx, layout, tile)
        kc = tile_order_coords(kv_idx, layout, tile)
        keep = None
        for d in range(len(layout)):
            lo, hi = axis_window(qc[d], layout[d], window[d], stride[d])
            m = (kc[d] >= lo) & (kc[d] <= hi)
            keep = m if keep is None else keep & m
        return keep
    return mask_mod


def to_tile_order(x, layout, tile):
    """[B, *layout, H, D] -> [B, H, N, D], tokens in tile order."""
    b, h, d = x.shape[0], x.shape[-2], x.shape[-1]
    r = len(layout)
    split = [b]
    for n, t in zip(layout, tile):
        split += [n // t, t]
    y = x.reshape(*split, h, d)
    order = [0] + [1 + 2 * i for i in range(r)] + [2 + 2 * i for i in range(r)] + [1 + 2 * r, 2 + 2 * r]
    return y.permute(order).reshape(b, -1, h, d).transpose(1, 2).contiguous()


def from_tile_order(y, layout, tile):
    """Inverse of to_tile_order: [B, H, N, D] -> [B, *layout, H, D]."""
    b, h, _, d = y.shape
    r = len(layout)
    grid = [n // t for n, t in zip(layout, tile)]
    z = y.transpose(1, 2).reshape(b, *grid, *tile, h, d)
    order = [0]
    for i in range(r):
        order += [1 + i, 1 + r + i]
    order += [1 + 2 * r, 2 + 2 * r]
    return z.permute(order).reshape(b, *layout, h, d).contiguous()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--only")
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--chain", type=int, default=1, help="time N back-to-back calls per repeat, per call")
    ap.add_argument("--dense-only", action="store_true", help="SDPA only, no FlexAttention")
    ap.add_argument("--set", default="spec8", help="spec8 (GNA-SPEC section 8, default), issue18 or issue23")
    ap.add_argument("--backward", action="store_true", help="also time the backward pass and the training step (issue 21)")
    args = ap.parse_args()
    only = args.only.split(",") if args.only else None
    global CHAIN
    CHAIN = max(1, args.chain)

    props = torch.cuda.get_device_properties(0)
    meta = dict(device=f"{props.name}, {props.multi_processor_count} SMs", torch=torch.__version__,
                cuda=torch.version.cuda, cudnn=torch.backends.cudnn.version(), date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                chain=CHAIN)
    print("peers on", meta, flush=True)
    rows = []
    back_rows = []
    # Every problem shape is a new compilation of flex_attention; past dynamo's recompile limit
    # (8 by default) it silently falls back to the unfused eager path, which materialises the
    # whole score matrix (the 1-D and 3-D rows of the first issue-18 run: 100x slow, or out of
    # memory). Lift the limit so each row times the compiled kernel.
    for name in ("recompile_limit", "cache_size_limit", "accumulated_recompile_limit", "accumulated_cache_size_limit"):
        if hasattr(torch._dynamo.config, name):
            setattr(torch._dynamo.config, name, 4096)
    # And should it fall back anyway, fail the row rather than time the unfused path.
    warnings.filterwarnings("error", message=".*flex_attention called without torch.compile")
    # The backward-alone timing re-runs one saved graph (retain_graph): a compiled backward that
    # donates its buffers refuses that (FlexAttention's FLUX row failed so in the first run).
    if hasattr(torch._functorch.config, "donated_buffer"):
        torch._functorch.config.donated_buffer = False
    flex = torch.compile(flex_attention, dynamic=False)
    problems = set_problems(args.set) if args.set != "spec8" else PROBLEMS
    for pb in problems:
        if only and pb["name"] not in only:
            continue
        layout, heads, tile = pb["layout"], pb["heads"], pb["tile"]
        batch, head_dim = pb.get("batch", 1), pb.get("head_dim", HEAD_DIM)
        dtype = {"bfloat16": torch.bfloat16, "float16": torch.float16}[pb.get("dtype", "bfloat16")]
        n = math.prod(layout)
        torch.manual_seed(0)
        q, k, v = (torch.randn(batch, *layout, heads, head_dim, device="cuda", dtype=dtype) for _ in range(3))
        dense_flops = 4.0 * n * n * head_dim * heads * batch
        qd, kd, vd = (t.reshape(batch, n, heads, head_dim).transpose(1, 2).contiguous() for t in (q, k, v))
        for backend, be in (("SDPA cuDNN", SDPBackend.CUDNN_ATTENTION), ("SDPA flash", SDPBackend.FLASH_ATTENTION)):
            try:
                with sdpa_kernel([be]):
                    ms = timed(lambda: F.scaled_dot_product_attention(qd, kd, vd), repeats=args.repeats)
                rows.append(dict(problem=pb["name"], config="dense", impl=backend, attentionMs=ms, permuteMs=0.0,
                                 totalMs=ms, tflops=dense_flops / ms / 1e9))
                print(f"{pb['name']} dense {backend}: {ms:.3f} ms, {dense_flops / ms / 1e9:.0f} TFLOP/s", flush=True)
                if args.backward:
                    with sdpa_kernel([be]):
                        bw, tr = time_backward(F.scaled_dot_product_attention, (qd, kd, vd), args.repeats)
                    back_rows += backward_rows(pb["name"], "dense", backend, dense_flops, bw, tr)
            except Exception as e:  # a backend this build or GPU lacks: say so, go on
                print(f"{pb['name']} dense {backend}: failed: {type(e).__name__}: {str(e)[:200]}", flush=True)
        del qd, kd, vd
        for config in ([] if args.dense_only else pb["configs"]):
            label, window, stride = config[:3]
            dilation, causal = config[3:] if len(config) > 3 else ((1,) * len(layout), (False,) * len(layout))
            started = time.time()
            mm = (gna_mask_mod(layout, tile, window, stride) if len(config) == 3
                  else general_mask_mod(layout, tile, window, stride, dilation, causal))
            bm = create_block_mask(mm, None, None, n, n, device="cuda", BLOCK_SIZE=128, _compile=True)
            partial = int(bm.kv_num_blocks.sum().item())
            full = int(bm.full_kv_num_blocks.sum().item()) if bm.full_kv_num_blocks is not None else 0
            visited = partial + full
            permute = (lambda t: to_tile_order(t, layout, tile)) if tile else (
                lambda t: t.reshape(batch, n, heads, head_dim).transpose(1, 2).contiguous())
            unpermute = (lambda y: from_tile_order(y, layout, tile)) if tile else (
                lambda y: y.transpose(1, 2).reshape(batch, *layout, heads, head_dim).contiguous())
            qp, kp, vp = (permute(t) for t in (q, k, v))
            try:
                out = flex(qp, kp, vp, block_mask=bm)  # compiles
                torch.cuda.synchronize()
                compile_s = time.time() - started
                ms = timed(lambda: flex(qp, kp, vp, block_mask=bm), repeats=args.repeats)
                perm = timed(lambda: ([permute(t) for t in (q, k, v)], unpermute(out)), repeats=args.repeats)
                flops = 4.0 * visited * 128 * 128 * head_dim * heads * batch
                rows.append(dict(problem=pb["name"], config=label, impl="FlexAttention", attentionMs=ms, permuteMs=perm,
                                 totalMs=ms + perm, tflops=flops / ms / 1e9, visited=visited, partial=partial,
                                 blocks=math.ceil(n / 128) ** 2))
                print(f"{pb['name']} {label} FlexAttention: {ms:.3f} ms (+ permutation {perm:.3f} ms), blocks {visited}/"
                      f"{math.ceil(n / 128) ** 2} ({partial} partial), {flops / ms / 1e9:.0f} TFLOP/s on visited blocks; "
                      f"mask + compile {compile_s:.0f} s", flush=True)
                del out
                if args.backward:
                    bw, tr = time_backward(lambda a, b, c: flex(a, b, c, block_mask=bm), (qp, kp, vp), args.repeats)
                    back_rows += backward_rows(pb["name"], label, "FlexAttention", flops, bw, tr)
            except Exception as e:
                print(f"{pb['name']} {label} FlexAttention: failed: {type(e).__name__}: {str(e)[:300]}", flush=True)
            del qp, kp, vp, bm
        del q, k, v
        torch.cuda.empty_cache()
    text = json.dumps(dict(meta=meta, rows=rows, **(dict(backwardRows=back_rows) if args.backward else {})), indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
