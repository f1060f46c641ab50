"""Checks the PyTorch stand-in before it is traced: its per-axis masks against a loop-by-loop
transcription of GNA-SPEC §2-§3 on random configs, and the legacy QK+AV path against the fused
op (same mask, same softmax). Exits non-zero on a mismatch. Needs torch only."""

import random
import sys

import torch

from natten.functional import axis_mask, na2d, natten2dav, natten2dqkrpb


def spec_attends(q, kv, n, k, s, d, causal):
    if q % d != kv % d:
        return False
    g = q % d
    n_g = n // d + (1 if g < n % d else 0)
    q, kv = q // d, kv // d
    if causal:
        leader = min((q // s) * s + s - 1, n_g - 1)
        return kv <= q and leader - kv < k
    left, right = k // 2, k // 2 + k % 2 - 1
    leader = min((q // s) * s + s // 2, n_g - 1)
    centre = min(max(leader, left), n_g - 1 - right)
    return centre - left <= kv <= centre + right


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    rng = random.Random(17)
    for _ in range(300):
        n = rng.randint(2, 40)
        d = rng.randint(1, max(1, n // 2))
        k = rng.randint(2, max(2, n // d))
        if k * d > n:
            continue
        s = rng.randint(1, k)
        causal = rng.random() < 0.3
        got = axis_mask(n, k, s, d, causal, device).cpu().tolist()
        want = [[spec_attends(q, kv, n, k, s, d, causal) for kv in range(n)] for q in range(n)]
        if got != want:
            print("mask mismatch: n=%d k=%d s=%d d=%d causal=%s" % (n, k, s, d, causal))
            return 1
    torch.manual_seed(17)
    for height, width, kernel, dilation in ((14, 14, 7, 1), (28, 21, 7, 2), (12, 9, 3, 3)):
        q, k, v = (torch.randn(2, 3, height, width, 16, device=device, dtype=torch.float64) for _ in range(3))
        legacy = natten2dav(natten2dqkrpb(q * 16 ** -0.5, k, None, kernel, dilation).softmax(-1), v, kernel, dilation)
        heads_last = lambda t: t.permute(0, 2, 3, 1, 4)
        fused = na2d(heads_last(q), heads_last(k), heads_last(v), kernel, dilation=dilation).permute(0, 3, 1, 2, 4)
        error = (legacy - fused).abs().max().item()
        if error > 1e-10:
            print("legacy and fused paths differ by %g at %dx%d, kernel %d, dilation %d" % (error, height, width, kernel, dilation))
            return 1
    # An axis shorter than kernel_size × dilation is refused with a Python error, as NATTEN does.
    q = torch.randn(2, 56, 56, 2, 32, device=device)  # [batch, W, H, heads, dim] read as heads-first
    try:
        natten2dqkrpb(q, q, torch.zeros(2, 13, 13, device=device), 7, 1)
        print("natten2dqkrpb accepted a layout axis of 2 with kernel_size 7")
        return 1
    except ValueError:
        pass
    print("stand-in checks passed on %s: 300 random axis masks against GNA-SPEC, legacy QK/AV against fused, short axes refused" % device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
