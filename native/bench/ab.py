"""Same-run A/B of two builds of our kernel (native/bench/run.sh --baseline FILE.node), or of two
kernels of one build (--baseline-kernel K), or a kernel variant against the measured kernel of the
same build (--variant N): the two sides are timed in alternating rounds (base,
ours, base, ours, ...) so that clock and thermal drift over the run falls on both; per problem and
config, the best round of each (rounds are medians of repeats) and their ratio, with the kernel each
side ran (a build that fell back to another kernel shows here). Run-to-run spread on one GPU is ±3%
(PERF-NOTES), so only ratios from one run decide a change.

    python3 ab.py base-1.json,base-2.json ours-1.json,ours-2.json
"""
import json
import sys


def load(paths):
    runs = [json.load(open(p))["rows"] for p in paths.split(",")]
    best = {}
    for rows in runs:
        for r in rows:
            kernels, times = best.setdefault((r["problem"], r["config"]), (set(), []))
            kernels.add(r["kernel"])
            times.append(r["totalMs"])
    return best


def main():
    base, new = load(sys.argv[1]), load(sys.argv[2])
    print(f"{'problem':<12} {'config':<20} {'baseline ms (rounds)':>30} {'this ms (rounds)':>30} {'speedup':>8}  kernels (baseline | this)")
    for key, (kernels, times) in new.items():
        if key not in base:
            continue
        b_kernels, b = base[key]
        fmt = lambda ts: " ".join(f"{t:.4f}" for t in ts)
        names = " / ".join(sorted(b_kernels)) + " | " + " / ".join(sorted(kernels))
        print(f"{key[0]:<12} {key[1]:<20} {fmt(b):>30} {fmt(times):>30} {min(b) / min(times):>7.3f}x  {names}")


if __name__ == "__main__":
    main()
