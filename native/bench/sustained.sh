#!/bin/bash
# sustained.sh (carried beside bench.sh): clocks and power while the 1-D dense problem runs
# back to back, ours and SDPA cuDNN, to tell a power cap from a kernel effect when chained calls
# run slower than lone ones (PERF-NOTES, "chained"). Samples nvidia-smi every 20 ms; prints the
# median SM clock and power of each phase and the time per call.
#   bash sustained.sh [CALLS]      (default 2000 back-to-back calls per phase)
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-bench}
mkdir -p "$out"
calls=${1:-2000}
export GNA_NATIVE_ADDON="$PWD/gna_native.node"
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw --format=csv,noheader,nounits -lms 20 > "$out/clocks.csv" &
sampler=$!
mark() { echo "$1 $(date +%s.%N)" >> "$out/phases.txt"; }
: > "$out/phases.txt"
sleep 2; mark idle
sleep 1; mark ours
./node bench.js --only 1d-32k --config dense --chain 200 --repeats $((calls / 200)) --out "$out/sustained-ours.json" | grep '^ours'
mark gap
sleep 4; mark cudnn
python3 - "$calls" <<'PY'
import sys, torch, torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
n = int(sys.argv[1])
q, k, v = (torch.randn(1, 1, 32768, 128, device="cuda", dtype=torch.bfloat16) for _ in range(3))
with sdpa_kernel([SDPBackend.CUDNN_ATTENTION]):
    for _ in range(3): F.scaled_dot_product_attention(q, k, v)
    torch.cuda.synchronize()
    a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    a.record()
    for _ in range(n): F.scaled_dot_product_attention(q, k, v)
    b.record(); b.synchronize()
print(f"cudnn 1d-32k dense: {a.elapsed_time(b) / n:.3f} ms per call over {n} back-to-back calls")
PY
mark end
sleep 0.5
kill $sampler
python3 - "$out/clocks.csv" "$out/phases.txt" <<'PY'
import sys, statistics, datetime
rows = []
for line in open(sys.argv[1]):
    parts = [p.strip() for p in line.split(",")]
    try:
        t = datetime.datetime.strptime(parts[0], "%Y/%m/%d %H:%M:%S.%f").timestamp()
        rows.append((t, float(parts[1]), float(parts[2])))
    except (ValueError, IndexError):
        pass
marks = [(l.split()[0], float(l.split()[1])) for l in open(sys.argv[2])]
for (name, t0), (_, t1) in zip(marks, marks[1:]):
    s = [r for r in rows if t0 <= r[0] < t1]
    if s:
        print(f"{name:<6} {len(s):>4} samples: SM clock median {statistics.median(r[1] for r in s):.0f} MHz "
              f"(min {min(r[1] for r in s):.0f}), power median {statistics.median(r[2] for r in s):.0f} W (max {max(r[2] for r in s):.0f})")
PY
