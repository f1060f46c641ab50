"""The backward half of the side-by-side benchmark (issue 21): ours.json's "backwardRows"
(test/gpu/bench.ts --backward) beside peers.json's "backwardRows" (peers.py --backward: SDPA
cuDNN and flash, FlexAttention, through PyTorch autograd), measured in the same run.

    python3 backward_table.py ours.json peers.json

Per problem and pass (backward alone, training step = forward + backward): each implementation's
time; per GNA config our measured speedup over our own dense backward beside the simulated one
(backward.simulated / training.simulated) and their ratio, and the speedup over FlexAttention.
Then issue 21's targets, PASS or MISS: dense backward >= 90% of cuDNN's backward throughput at
head dim 128 and >= 85% at 32 and 64; GNA backward >= 85% of its simulated speedup over our dense
backward, and faster than FlexAttention's backward.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    ours = load(sys.argv[1])
    peers = load(sys.argv[2]) if len(sys.argv) > 2 else {"rows": [], "backwardRows": []}
    if ours.get("meta", {}).get("backward"):
        print(f"ours: no backward rows: {ours['meta']['backward']}")
    mine = ours.get("backwardRows", [])
    theirs = peers.get("backwardRows", [])
    print(f"backward side by side, {ours.get('meta', {}).get('device', '?')}, {ours.get('meta', {}).get('date', '?')}")
    targets = []
    for prob in dict.fromkeys([r["problem"] for r in mine] + [r["problem"] for r in theirs]):
        for kind in ("backward", "training"):
            rows = [r for r in mine if r["problem"] == prob and r["pass"] == kind]
            peer = [r for r in theirs if r["problem"] == prob and r["pass"] == kind]
            if not rows and not peer:
                continue
            print(f"\n{prob}, {kind}")
            dense = next((r for r in rows if r["config"] == "dense"), None)
            cudnn = next((r for r in peer if r["config"] == "dense" and r["impl"] == "SDPA cuDNN"), None)
            for r in peer:
                print(f"  {r['config']:<20} {r['impl']:<14} {r['attentionMs']:9.3f} ms {r['tflops']:6.0f} TFLOP/s")
            for r in rows:
                line = f"  {r['config']:<20} {'ours':<14} {r['attentionMs']:9.3f} ms  [{r['kernel']}]"
                if r["config"] != "dense" and dense:
                    measured = dense["attentionMs"] / r["attentionMs"]
                    share = measured / r["simulated"]
                    line += f"  {measured:.2f}x over our dense, simulated {r['simulated']:.2f}x ({100 * share:.0f}%)"
                    flex = next((p for p in peer if p["config"] == r["config"] and p["impl"] == "FlexAttention"), None)
                    if flex:
                        line += f", {flex['attentionMs'] / r['attentionMs']:.2f}x FlexAttention"
                    if kind == "backward":
                        targets.append((f"{prob} {r['config']} >= 85% of simulated", share >= 0.85))
                        if flex:
                            targets.append((f"{prob} {r['config']} faster than FlexAttention", r["attentionMs"] < flex["attentionMs"]))
                print(line)
            if kind == "backward" and dense and cudnn:
                share = cudnn["attentionMs"] / dense["attentionMs"]
                need = 0.90 if dense.get("headDim", 128) == 128 else 0.85
                print(f"  our dense backward at {100 * share:.0f}% of cuDNN's throughput")
                targets.append((f"{prob} dense >= {100 * need:.0f}% of cuDNN", share >= need))
    if targets:
        print("\ntargets (issue 21)")
        for name, ok in targets:
            print(f"  {'PASS' if ok else 'MISS'} {name}")


if __name__ == "__main__":
    main()
