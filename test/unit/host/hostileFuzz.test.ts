// A short run of the hostile-input fuzz properties (test/support/hostileFuzz.ts) in every test
// run; `npm run bench:fuzz` runs the long one and records it in bench/results/robust-fuzz.md.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { checkImport, checkPattern, importTextArbitrary, pathArbitrary, patternArbitrary } from '../../support/hostileFuzz';

describe('hostile input: fuzzed settings patterns and imports', function () {
  // The outer limit: a backtracking matcher or an unbounded import would blow far past it.
  this.timeout(120_000);

  it('gna.inputSize patterns: compiled or refused with GlobError, every match answered, settings never throw', () => {
    fc.assert(fc.property(patternArbitrary, fc.array(pathArbitrary, { minLength: 1, maxLength: 4 }), checkPattern), { numRuns: 500, seed: 2222 });
  });

  it('Import: never rejects; every kept record passes the record schema with finite numbers', async () => {
    const outcomes = { imported: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(importTextArbitrary, async (text) => {
        outcomes[await checkImport(text)]++;
      }),
      { numRuns: 300, seed: 2223 },
    );
    // Both kinds of outcome occur, so the property exercised the record-building path too.
    assert.ok(outcomes.imported > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
  });
});
