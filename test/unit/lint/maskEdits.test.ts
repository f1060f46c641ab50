// The linter's mask-argument edits (lint/edits.ts `setMaskArguments` over `CallReport.argumentSlots`)
// on random calls: however the arguments are written (scalar, tuple, missing, from a `**dict` or
// `**dict(...)`), writing random per-axis values and linting the result again reads exactly those
// values back, and an argument whose value is unchanged is never touched.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { axisValues, setMaskArguments } from '../../../extension/lint/edits';
import { MASK_PARAMETERS, MaskParameter } from '../../../extension/lint/types';
import { applyEdits, linter } from './helpers';

type Spelling = 'missing' | 'scalar' | 'tuple' | 'dict' | 'dict-call';
const py = (v: number | boolean) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** A 2-D call with each mask argument spelled as asked (the window is always given somewhere). */
function source(spelling: Record<MaskParameter, Spelling>, initial: Record<MaskParameter, (number | boolean)[]>): string {
  const atCall: string[] = [];
  const inDict: string[] = [];
  const inCallDict: string[] = [];
  for (const p of MASK_PARAMETERS) {
    const v = initial[p];
    const s = spelling[p];
    if (s === 'scalar') atCall.push(`${p}=${py(v[0])}`);
    else if (s === 'tuple') atCall.push(`${p}=(${v.map(py).join(', ')})`);
    else if (s === 'dict') inDict.push(`"${p}": (${v.map(py).join(', ')})`);
    else if (s === 'dict-call') inCallDict.push(`${p}=(${v.map(py).join(', ')})`);
  }
  const lines = ['from natten import na2d', `CFG = {${inDict.join(', ')}}`, `KW = dict(${inCallDict.join(', ')})`, '# gna: input_size=(64, 64)'];
  const spread = inDict.length > 0 ? ['**CFG'] : inCallDict.length > 0 ? ['**KW'] : [];
  lines.push(`y = na2d(q, k, v${[...atCall, ...spread].map((a) => `, ${a}`).join('')})`);
  return lines.join('\n');
}

describe('lint: mask-argument edits on random calls', () => {
  it('write random values wherever each argument is written, and read back exactly those values', async () => {
    const l = await linter();
    // Only one `**` dict per call: the spellings that use a dict all use the same one.
    const dictKind = fc.constantFrom<Spelling>('dict', 'dict-call');
    const spellingArb = dictKind.chain((dict) =>
      fc.record({
        kernel_size: fc.constantFrom<Spelling>('scalar', 'tuple', dict),
        stride: fc.constantFrom<Spelling>('missing', 'scalar', 'tuple', dict),
        dilation: fc.constantFrom<Spelling>('missing', 'scalar', 'tuple', dict),
        is_causal: fc.constantFrom<Spelling>('missing', 'scalar', 'tuple', dict),
      }),
    );
    const axis = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }));
    const valuesArb = fc.record({ kernel_size: axis(3, 9), stride: axis(1, 3), dilation: axis(1, 2), is_causal: fc.tuple(fc.boolean(), fc.boolean()) });
    await fc.assert(
      fc.asyncProperty(spellingArb, valuesArb, valuesArb, async (spelling, drawn, wanted) => {
        // A scalar holds one value on every axis; a missing argument has NATTEN's default.
        const initial = Object.fromEntries(
          MASK_PARAMETERS.map((p) => {
            const v: (number | boolean)[] = drawn[p];
            const missing = p === 'is_causal' ? [false, false] : [1, 1];
            return [p, spelling[p] === 'missing' ? missing : spelling[p] === 'scalar' ? [v[0], v[0]] : [...v]];
          }),
        ) as Record<MaskParameter, (number | boolean)[]>;
        const text = source(spelling, initial);
        const call = l.lint(text).calls[0];
        assert.ok(call, text);
        for (const p of MASK_PARAMETERS) assert.deepEqual(axisValues(call, p), initial[p], `${p} read from\n${text}`);
        const result = setMaskArguments(call, wanted, text);
        assert.deepEqual(result.notWritten, [], text);
        const edited = applyEdits(text, result.edits);
        const after = l.lint(edited).calls[0];
        for (const p of MASK_PARAMETERS) assert.deepEqual(axisValues(after, p), wanted[p], `${p} after writing\n${edited}`);
        const unchanged = MASK_PARAMETERS.filter((p) => initial[p].every((v, i) => v === wanted[p][i]));
        assert.equal(result.written.length, MASK_PARAMETERS.length - unchanged.length, edited);
        // Writing the same values again changes nothing.
        assert.deepEqual(setMaskArguments(after, wanted, edited).edits, []);
      }),
      { numRuns: 200, seed: 20 },
    );
  });
});
