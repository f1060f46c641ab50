// Random small GNA problems with tile shapes for the view-model tests (all ranks, odd and even
// windows, strides, dilation, causal, tiles that do not divide the axes).
import fc from 'fast-check';
import type { GnaProblem, TileShape } from '../../../extension/core';

export interface Case {
  readonly problem: GnaProblem;
  readonly tiles: TileShape;
}

export function caseArb(maxTokens: number, ranks: readonly number[] = [1, 2, 3]): fc.Arbitrary<Case> {
  return fc
    .constantFrom(...ranks)
    .chain((rank) => {
      const maxN = rank === 1 ? 40 : rank === 2 ? 14 : 7;
      const axis = fc.integer({ min: 2, max: maxN }).chain((n) =>
        fc.integer({ min: 1, max: Math.floor(n / 2) }).chain((d) =>
          fc.integer({ min: 2, max: Math.floor(n / d) }).chain((k) =>
            fc.record({
              n: fc.constant(n),
              d: fc.constant(d),
              k: fc.constant(k),
              s: fc.integer({ min: 1, max: k }),
              causal: fc.boolean(),
              tq: fc.integer({ min: 1, max: 6 }),
              tkv: fc.integer({ min: 1, max: 6 }),
            }),
          ),
        ),
      );
      return fc.array(axis, { minLength: rank, maxLength: rank });
    })
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

/** A case plus a query inside its layout and display limits small enough to force aggregation. */
export function selectionArb(maxTokens: number, ranks?: readonly number[]) {
  return caseArb(maxTokens, ranks).chain((c) =>
    fc.record({
      case: fc.constant(c),
      query: fc.tuple(...c.problem.inputSize.map((n) => fc.integer({ min: 0, max: n - 1 }))),
      slice: fc.integer({ min: 0, max: c.problem.inputSize[0] - 1 }),
      gridCells: fc.integer({ min: 1, max: 16 }),
      mapCells: fc.integer({ min: 1, max: 64 }),
    }),
  );
}
