// Random small GNA problems for the property tests (core against brute force, view model): all
// ranks, odd and even windows, strides, dilation, causal, tiles that do not divide the axes.
// Every value is valid for NATTEN: 1 <= d <= n/2, 2 <= k <= n/d, 1 <= s <= k.
import fc from 'fast-check';
import type { GnaProblem, TileShape } from '../../extension/core';

/** One axis: its size n, window k, stride s, dilation d, causal flag, and Q / KV tile sizes. */
export interface AxisCase {
  readonly n: number;
  readonly k: number;
  readonly s: number;
  readonly d: number;
  readonly causal: boolean;
  readonly tq: number;
  readonly tkv: number;
}

/** A valid axis of 2 to `maxN` tokens with tiles of 1 to `maxTile` tokens. */
export function axisArb(maxN: number, maxTile: number): fc.Arbitrary<AxisCase> {
  return fc.integer({ min: 2, max: maxN }).chain((n) =>
    fc.integer({ min: 1, max: Math.floor(n / 2) }).chain((d) =>
      fc.integer({ min: 2, max: Math.floor(n / d) }).chain((k) =>
        fc.record({
          n: fc.constant(n),
          d: fc.constant(d),
          k: fc.constant(k),
          s: fc.integer({ min: 1, max: k }),
          causal: fc.boolean(),
          tq: fc.integer({ min: 1, max: maxTile }),
          tkv: fc.integer({ min: 1, max: maxTile }),
        }),
      ),
    ),
  );
}

export interface Case {
  readonly problem: GnaProblem;
  readonly tiles: TileShape;
}

/** A problem of one of `ranks` with at most `maxTokens` tokens, and its tile shapes. */
export function caseArb(maxTokens: number, ranks: readonly number[] = [1, 2, 3]): fc.Arbitrary<Case> {
  return fc
    .constantFrom(...ranks)
    .chain((rank) => fc.array(axisArb(rank === 1 ? 40 : rank === 2 ? 14 : 7, 6), { minLength: rank, maxLength: rank }))
    .filter((axes) => axes.reduce((a, x) => a * x.n, 1) <= maxTokens)
    .map((axes) => ({
      problem: {
        inputSize: axes.map((a) => a.n),
        windowSize: axes.map((a) => a.k),
        stride: axes.map((a) => a.s),
        dilation: axes.map((a) => a.d),
        causal: axes.map((a) => a.causal),
      },
      tiles: { q: axes.map((a) => a.tq), kv: axes.map((a) => a.tkv) },
    }));
}
