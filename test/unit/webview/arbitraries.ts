// Random view-model selections over the shared random problems (test/support/arbitraries.ts).
import fc from 'fast-check';
import { caseArb } from '../../support/arbitraries';

export { Case, caseArb } from '../../support/arbitraries';

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
