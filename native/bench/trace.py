"""Where the time of one launch goes, from the per-CTA timeline that the engine's trace option
(GNA_SM90_TRACE=FILE for the bench script) makes the Hopper kernel record (gna_sm90_attention.cuh, Trace): launch skew, the start-up before the first
item's Q and first S, the median step, the item boundary (last step -> last PV -> stored -> next
item's Q and first S), and the tail. Cycles become µs with each CTA's own clock rate (clock64
against %globaltimer over the launch).

    GNA_SM90_TRACE=/tmp/t.txt ./node bench.js --only flux --config 'w80x80 s16x16'   # the last launch's timeline
    python3 trace.py /tmp/t.txt [--items]

--items adds, per item position (a CTA's first item, second, ...), the spread of item durations
over the CTAs and the median and 90th percentile of each step, and the slowest CTAs: where the
spread of the exits comes from.
"""
import statistics
import sys

SLOTS_ITEM, ITEMS, STEPS = 64, 4, 58


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")


def load(path):
    """(CTA index, its slots) of every CTA that recorded its entry and exit."""
    rows = [list(map(int, line.split())) for line in open(path) if line.strip()]
    return [(cta, r) for cta, r in enumerate(rows) if r[0] and r[3]]


def clock(r):
    """Cycles of this CTA -> µs since its entry, at its own rate (clock64 against %globaltimer)."""
    ghz = (r[2] - r[1]) / max(1, r[3] - r[0])  # cycles per ns
    return lambda c: (c - r[1]) / ghz / 1000.0


def main(ctas):
    rows = [r for _, r in ctas]
    t0 = min(r[0] for r in rows)
    end = max(r[3] for r in rows)
    starts, ends, startup, first_s, steps, last_pv, store, gap_q, next_first = [], [], [], [], [], [], [], [], []
    normalise, sync = [], []
    items_per_cta = []
    for r in rows:
        us = clock(r)
        starts.append((r[0] - t0) / 1000.0)
        ends.append((end - r[3]) / 1000.0)
        n = 0
        for i in range(ITEMS):
            b = 8 + SLOTS_ITEM * i
            ev = r[b:b + SLOTS_ITEM]
            if not ev[0]:
                break
            n += 1
            if i == 0:
                startup.append(us(ev[0]))
            first_s.append(us(ev[1]) - us(ev[0]))
            done = [us(ev[2 + s]) for s in range(STEPS) if ev[2 + s]]
            steps += [b2 - a for a, b2 in zip(done, done[1:])]
            if ev[62]:
                last_pv.append(us(ev[62]) - done[-1])
            if ev[63]:
                store.append(us(ev[63]) - us(ev[62]))
            if ev[60] and ev[61]:
                normalise.append(us(ev[60]) - us(ev[62]))
                sync.append(us(ev[61]) - us(ev[60]))
            nb = b + SLOTS_ITEM
            if i + 1 < ITEMS and r[nb]:
                gap_q.append(us(r[nb]) - us(ev[63]))
                next_first.append(us(r[nb + 2]) - us(r[nb]))
        items_per_cta.append(n)
    print(f"CTAs {len(rows)}, launch span {(end - t0) / 1000:.2f} µs (first CTA entry to last CTA exit)")
    print(f"  CTA entry skew: median {med(starts):.2f} µs, max {max(starts):.2f} µs; exit before the last: median {med(ends):.2f} µs")
    print(f"  entry -> first item's Q in shared memory: median {med(startup):.2f} µs")
    print(f"  Q ready -> first S landed: median {med(first_s):.2f} µs; step 0 (S + softmax): {med(next_first):.2f} µs at later items")
    print(f"  step (S + PV + softmax, steady state): median {med(steps):.3f} µs over {len(steps)} steps")
    print(f"  last step done -> last PV landed: {med(last_pv):.2f} µs; -> stored: {med(store):.2f} µs; "
          f"-> next item's Q ready: {med(gap_q):.2f} µs")
    print(f"  of the store: normalise into shared memory {med(normalise):.2f} µs, warpgroup sync {med(sync):.2f} µs, "
          f"TMA store issued {med(store) - med(normalise) - med(sync):.2f} µs")
    print(f"  items traced per CTA: {statistics.mean(items_per_cta):.2f} (at most {ITEMS})")


def by_item(ctas):
    t0 = min(r[0] for _, r in ctas)
    per = [[] for _ in range(ITEMS)]  # per item position: (cta, duration, [step durations])
    exits = []
    for cta, r in ctas:
        us = clock(r)
        exits.append(((r[3] - t0) / 1000.0, cta))
        for i in range(ITEMS):
            ev = r[8 + SLOTS_ITEM * i:8 + SLOTS_ITEM * (i + 1)]
            if not ev[0] or not ev[63]:
                break
            marks = [us(ev[1])] + [us(ev[2 + s]) for s in range(STEPS) if ev[2 + s]]
            per[i].append((cta, us(ev[63]) - us(ev[0]), [b - a for a, b in zip(marks, marks[1:])]))
    durations = {}
    for i, items in enumerate(per):
        if not items:
            break
        d = [x[1] for x in items]
        print(f"  item {i + 1} of its CTA ({len(items)} CTAs): Q ready -> stored median {med(d):.2f} µs, "
              f"min {min(d):.2f}, max {max(d):.2f}")
        n = min(len(x[2]) for x in items)
        q = lambda k, f: sorted(x[2][k] for x in items)[int(f * (len(items) - 1))]
        print("    first S -> step 0 done, then step k-1 -> k done; median: " + " ".join(f"{q(k, 0.5):.2f}" for k in range(n)))
        print("                                                       p90: " + " ".join(f"{q(k, 0.9):.2f}" for k in range(n)))
        for cta, dur, _ in items:
            durations.setdefault(cta, []).append(dur)
    print("  slowest exits (µs after the first entry; item durations):")
    for t, cta in sorted(exits, reverse=True)[:5]:
        print(f"    CTA {cta:4d} exit {t:.2f}: " + ", ".join(f"{d:.2f}" for d in durations.get(cta, [])))


if __name__ == "__main__":
    traced = load(sys.argv[1])
    main(traced)
    if "--items" in sys.argv[2:]:
        by_item(traced)
