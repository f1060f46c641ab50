import { strict as assert } from 'assert';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { groupByRange } from '../../../extension/host/pure/calls';
import { fitHint, HINT_BUDGET, HINT_END_COLUMN, HintPart, hintText, LEADING_HINT_BUDGET, placeHint } from '../../../extension/host/pure/hintText';
import type { CallReport } from '../../../extension/lint/types';
import { linter, repoPath } from '../lint/helpers';
import { callReport } from './callFixture';

// GNA-SPEC §6: FLUX-4K, window 80×80, on Hopper's 16×8 tiles.
const FLUX = { rank: 2, inputSize: [256, 256], windowSize: [80, 80] };

const traced = (call: CallReport, stale: boolean): CallReport => ({
  ...call,
  traced: { count: 3, batches: [2], heads: [8], dtypes: ['float16'], devices: [], headDim: 128, stale, tracedAt: '2026-12-01T10:00:00Z' },
});

describe('host: inlay hint text', () => {
  it('a single call: sparsity and the simulated speedup, the rest in the tooltip (GNA-SPEC §6, FLUX stride 16)', () => {
    const text = hintText([callReport({ ...FLUX, stride: [16, 16] }, { op: 'na2d' })])!;
    assert.equal(text.label, '90% sparse · 10.2× simulated');
    assert.equal(
      text.tooltip,
      'GNA na2d: 90% sparse (10% attended) · 10.2× simulated speedup · block-sparse.\n' +
        'Simulated on Q 16×8 / KV 16×8 tiles. Hover the call for every bound.',
    );
  });

  it('keeps the block-sparse mark when the budget has room for it', () => {
    const call = callReport({ ...FLUX, stride: [16, 16] }, { op: 'na2d' });
    assert.equal(hintText([call], 'forward', 60)!.label, '90% sparse · 10.2× simulated · block-sparse');
  });

  it('follows gna.pass: the training step, its forward and backward parts in the tooltip', () => {
    const call = callReport({ ...FLUX, stride: [16, 16] }, { op: 'na2d' });
    const t = call.training!;
    const text = hintText([call], 'training')!;
    const x = (v: number) => `${v.toFixed(2)}×`;
    assert.equal(text.label, `90% sparse · ${x(t.training.simulated)} training step`);
    assert.match(text.tooltip, new RegExp(`${x(t.training.simulated)} simulated training step \\(10\\.2× forward, ${x(t.backward.simulated)} backward\\)`));
    assert.match(text.tooltip, /the backward on Q 8×8 \/ KV 16×8/);
    const both = hintText([call, callReport(FLUX, { variant: 'b' })], 'training')!;
    assert.match(both.label, /^2 configs: [\d.]+–[\d.]+× training$/);
    assert.equal(hintText([call], 'forward')!.label, '90% sparse · 10.2× simulated');
  });

  it('says where a traced config comes from before its sparsity', () => {
    const call = callReport({ ...FLUX, stride: [16, 16] }, { op: 'na2d' });
    assert.equal(hintText([traced(call, false)])!.label, '10.2× simulated · 256×256 traced');
    const stale = hintText([traced(call, true)])!;
    assert.equal(stale.label, '10.2× simulated · traced, stale');
    assert.match(stale.tooltip, /run gna trace again\.$/);
    // Several traced configs: the mark stays, the count goes first.
    const variants = [traced(call, true), traced(callReport(FLUX, { variant: 'b' }), true)];
    assert.equal(hintText(variants)!.label, '6.65–10.2× sim · traced, stale');
    assert.equal(hintText(variants, 'forward', 80)!.label, '2 configs: 6.65–10.2× simulated · 1 block-sparse · traced, stale');
  });

  it('gives nothing for a call without a simulation', () => {
    assert.equal(hintText([callReport({ ...FLUX, stride: [90, 1] })]), undefined);
  });

  it('summarises the variants of a dict-configured call in one hint, their values in the tooltip', () => {
    const calls = [
      callReport({ ...FLUX, stride: [16, 16] }, { variant: 'blocks.0' }),
      callReport(FLUX, { variant: 'blocks.1' }),
      callReport({ ...FLUX, stride: [90, 1] }, { variant: 'blocks.2' }),
    ];
    const text = hintText(calls)!;
    // GNA-SPEC §6: 6.65× at stride 1, 10.2× at 16.
    assert.equal(text.label, '2 of 3 configs: 6.65–10.2× sim');
    assert.deepEqual(text.tooltip.split('\n'), [
      '2 of 3 configs (80×80, stride 16×16 | 1 | 90×1), simulated speedup 6.65–10.2×:',
      'blocks.0: 90% sparse (10% attended) · 10.2× simulated speedup · block-sparse',
      'blocks.1: 90% sparse (10% attended) · 6.65× simulated speedup',
      'blocks.2: not simulated (see its diagnostics)',
    ]);
    assert.equal(hintText(calls.slice(0, 2))!.label, '2 configs: 6.65–10.2× simulated');
    assert.equal(hintText(calls, 'forward', 100)!.label, '2 of 3 configs: 6.65–10.2× simulated · 1 block-sparse');
    assert.equal(hintText(calls.slice(0, 1).concat(calls[0]))!.label, '2 configs: 10.2× simulated');
  });
});

describe('host: fitting a hint to its budget', () => {
  const part = fc.record({
    forms: fc.array(fc.string({ minLength: 1, maxLength: 14 }), { minLength: 1, maxLength: 3 }).map((f) => [...f].sort((a, b) => b.length - a.length)),
    required: fc.boolean(),
    joiner: fc.constantFrom(undefined, ': '),
  });
  const problem = fc
    .array(part, { minLength: 1, maxLength: 5 })
    .chain((parts) => fc.tuple(fc.constant(parts), fc.shuffledSubarray(parts.map((_, i) => i), { minLength: parts.length }), fc.integer({ min: 0, max: 60 })));

  /** The label of `parts` where `kept` says which are shown, each at its form `form[i]`. */
  const render = (parts: readonly HintPart[], kept: readonly boolean[], form: (i: number) => number) =>
    parts
      .map((p, i) => ({ p, i }))
      .filter(({ i }) => kept[i])
      .map(({ p, i }, n) => (n === 0 ? '' : (p.joiner ?? ' · ')) + p.forms[form(i)])
      .join('');

  it('fits whenever the required parts fit, shows whole wordings in order, and leaves out only what does not fit', () => {
    fc.assert(
      fc.property(problem, ([parts, priority, budget]) => {
        const label = fitHint(parts, priority, budget);
        const shortest = (i: number) => parts[i].forms.length - 1;
        const requiredOnly = render(parts, parts.map((p) => !!p.required), shortest);
        if (requiredOnly.length <= budget) assert.ok(label.length <= budget, `${label} over ${budget}`);
        else assert.equal(label, requiredOnly);
        // Recover which wording of which part the label shows: some choice per part renders to it.
        const choices = parts.map((p) => [...p.forms.map((_, f) => f), ...(p.required ? [] : [-1])]);
        const matches: number[][] = [];
        const walk = (pick: number[]): void => {
          if (pick.length === parts.length) {
            if (render(parts, pick.map((f) => f >= 0), (i) => pick[i]) === label) matches.push(pick);
            return;
          }
          for (const c of choices[pick.length]) walk([...pick, c]);
        };
        walk([]);
        assert.ok(matches.length > 0, `"${label}" is not made of whole wordings`);
        // The most important part left out could not have been kept beside the more important ones.
        const ok = matches.some((pick) => {
          const firstOut = priority.findIndex((i) => pick[i] < 0);
          if (firstOut < 0) return true;
          const kept = parts.map((p, i) => !!p.required || priority.indexOf(i) <= firstOut);
          return render(parts, kept, shortest).length > budget;
        });
        assert.ok(ok, `"${label}" leaves out a part that fits`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('host: every hint of the corpus within the budget', () => {
  function pythonFiles(dir: string): string[] {
    return readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const full = join(dir, name);
        return statSync(full).isDirectory() ? pythonFiles(full) : name.endsWith('.py') ? [full] : [];
      });
  }

  it(`the corpus, the fixtures and the examples, both passes, with and without a trace mark: ≤ ${HINT_BUDGET} characters`, async () => {
    const lint = await linter();
    const files = ['test/fixtures/corpus', 'test/fixtures/python', 'examples'].flatMap((d) => pythonFiles(repoPath(d)));
    let hints = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Without a layout most corpus calls are not simulated; 56×56 (rank-broadcast) gives them one.
      for (const defaultInputSize of [undefined, [56, 56], [16, 56, 56]]) {
        const report = lint.lint(text, { path: file, ...(defaultInputSize ? { defaultInputSize } : {}) });
        for (const group of groupByRange(report.calls)) {
          for (const pass of ['forward', 'training'] as const) {
            for (const mark of [undefined, false, true]) {
              const calls = mark === undefined ? group : group.map((c) => traced(c, mark));
              const hint = hintText(calls, pass);
              if (!hint) continue;
              hints++;
              assert.ok(hint.label.length <= HINT_BUDGET, `${file}: "${hint.label}" is ${hint.label.length} characters`);
              assert.ok(!hint.label.includes('…'));
            }
          }
        }
      }
    }
    assert.ok(hints > 100, `only ${hints} hints`);
  });

  it('random single calls and dict variants stay within the budget', () => {
    const axis = fc.record({ n: fc.integer({ min: 2, max: 300 }), k: fc.integer({ min: 2, max: 300 }), s: fc.integer({ min: 1, max: 32 }), d: fc.integer({ min: 1, max: 4 }) });
    const config = fc.array(axis, { minLength: 1, maxLength: 3 }).map((axes) => ({
      rank: axes.length,
      inputSize: axes.map((a) => a.n * a.d),
      windowSize: axes.map((a) => Math.min(a.k, a.n)),
      stride: axes.map((a) => Math.min(a.s, a.k, a.n)),
      dilation: axes.map((a) => a.d),
    }));
    fc.assert(
      fc.property(fc.array(config, { minLength: 1, maxLength: 12 }), fc.constantFrom('forward' as const, 'training' as const), fc.boolean(), (configs, pass, stale) => {
        const rank = configs[0].rank;
        const calls = configs.filter((c) => c.rank === rank).map((c, i) => callReport(c, { variant: `blocks.${i}` }));
        for (const group of [calls.slice(0, 1), calls, calls.map((c) => traced(c, stale))]) {
          const hint = hintText(group.length === 1 ? [{ ...group[0], variant: undefined }] : group, pass);
          if (hint) assert.ok(hint.label.length <= HINT_BUDGET, `"${hint.label}" is ${hint.label.length} characters`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a long line gets a shorter hint that ends by column 100, or one before the call (DiNAT backbone, 32 configs)', () => {
    const calls = [1, 8, 1, 4].map((d, i) => callReport({ rank: 2, inputSize: [56, 56], windowSize: [7, 7], dilation: [d, d] }, { variant: `line 82, i=${i}` }));
    // `        out = na2d(q, k, v, kernel_size=self.kernel_size, dilation=self.dilation)` ends at column 82.
    assert.deepEqual(placeHint(calls, 40), { ...hintText(calls)!, at: 'end' }, 'a short line keeps the whole hint');
    const late = placeHint(calls, 82)!;
    assert.deepEqual([late.label, late.at], ['2.48–9.77× sim', 'end']);
    const past = placeHint(calls, 95)!;
    assert.deepEqual([past.label, past.at], ['2.48–9.77× sim', 'start']);
  });

  it('random calls and line ends: a hint after the call ends by column 100, one before it only where none fits after', () => {
    const axis = fc.record({ n: fc.integer({ min: 2, max: 300 }), k: fc.integer({ min: 2, max: 300 }), s: fc.integer({ min: 1, max: 32 }) });
    const config = fc.array(axis, { minLength: 2, maxLength: 2 }).map((axes) => ({
      rank: 2,
      inputSize: axes.map((a) => a.n),
      windowSize: axes.map((a) => Math.min(a.k, a.n)),
      stride: axes.map((a) => Math.min(a.s, a.k, a.n)),
    }));
    fc.assert(
      fc.property(fc.array(config, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 160 }), fc.constantFrom('forward' as const, 'training' as const), (configs, endColumn, pass) => {
        const calls = configs.map((c, i) => callReport(c, configs.length > 1 ? { variant: `blocks.${i}` } : {}));
        const hint = placeHint(calls, endColumn, pass);
        if (!hint) return;
        const shortest = hintText(calls, pass, 0)!.label;
        if (hint.at === 'end') assert.ok(endColumn + 1 + hint.label.length <= HINT_END_COLUMN, `"${hint.label}" after column ${endColumn}`);
        else {
          assert.ok(endColumn + 1 + shortest.length > HINT_END_COLUMN, `"${shortest}" would fit after column ${endColumn}`);
          assert.ok(hint.label.length <= Math.max(LEADING_HINT_BUDGET, shortest.length));
        }
      }),
      { numRuns: 200 },
    );
  });
});
