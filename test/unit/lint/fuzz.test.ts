// The linter never throws and never points outside the text: thousands of random, truncated and
// mutated Python texts (seeded, so a failure reproduces), plus fast-check's shrinking search.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'fs';
import type { LintReport, Linter } from '../../../extension/lint';
import { rng as random } from '../native/random';
import { linter, repoPath } from './helpers';

const TOKENS = [
  'import natten\n', 'from natten import na2d, na3d, NeighborhoodAttention2D as NA\n', 'import natten.functional as F\n',
  'from natten.functional import *\n', 'natten.na2d(', 'F.na3d(', 'na2d(', 'NA(', 'neighborhood_attention_generic(',
  'q, k, v, ', 'kernel_size=', 'stride=', 'dilation=', 'is_causal=', 'q_tile_shape=', '**cfg', '*qkv', '**CFG[name]',
  '(7, 7)', '(18, 24, 24)', '7', '-3', '0', '2 ** 40', '1.5', 'None', 'True', '"s"', "'''", '"""', '(', ')', '[', ']', '{', '}',
  ',', ':', '=', '\n', '\n    ', '\r\n', '\t', '\\\n', '# gna: input_size=(30, 48, 80)\n', '# gna: input_size=(', '# gna: nope=1\n',
  'K = (7, 7)\n', 'CFG = {"a": dict(kernel_size=9), "b": {"kernel_size": (3, 3)}}\n', 'class A:\n', 'def f(self, k=7):\n',
  'self.k = K\n', 'for K in x:\n', 'é', '×', '😀', '\ud800', '\u0000', 'lambda x: ', 'if x:\n', 'else:\n',
];

function corpus(): string[] {
  const files: string[] = [];
  for (const dir of [repoPath('test', 'fixtures', 'python'), repoPath('examples')]) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.py'))) files.push(readFileSync(`${dir}/${name}`, 'utf8'));
  }
  return files;
}

function mutate(text: string, rnd: () => number): string {
  const at = () => Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 6)) {
    case 0:
      return text.slice(0, at()); // truncated while typing
    case 1: {
      const a = at();
      return text.slice(0, a) + text.slice(Math.min(text.length, a + 1 + Math.floor(rnd() * 40)));
    }
    case 2: {
      const a = at();
      return text.slice(0, a) + TOKENS[Math.floor(rnd() * TOKENS.length)] + text.slice(a);
    }
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 4:
      return text.replace(/[()[\]{}]/g, (m) => (rnd() < 0.05 ? '' : m)); // unbalanced brackets
    default: {
      let out = '';
      const n = 1 + Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) out += TOKENS[Math.floor(rnd() * TOKENS.length)];
      return out;
    }
  }
}

/** Everything the contract promises about a report for this text. */
function checkReport(text: string, report: LintReport): void {
  const inText = (r: { start: number; end: number }, what: string) => {
    assert.ok(Number.isInteger(r.start) && Number.isInteger(r.end), `${what}: integer offsets`);
    assert.ok(r.start >= 0 && r.start <= r.end && r.end <= text.length, `${what} [${r.start}, ${r.end}] outside 0..${text.length}`);
  };
  for (const c of report.calls) {
    inText(c.range, 'call');
    inText(c.calleeRange, 'callee');
    for (const r of Object.values(c.argumentRanges)) if (r) inText(r, 'argument');
  }
  for (const f of report.findings) {
    inText(f.range, f.rule);
    // A linter bug would now show as a finding rather than a silent gap: none may occur.
    assert.notEqual(f.rule, 'gna/internal-error', f.message);
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
    assert.ok(typeof f.message === 'string' && f.message.length > 0);
    assert.ok(f.callIndex === undefined || (f.callIndex >= 0 && f.callIndex < report.calls.length));
    for (const fix of f.fixes) {
      const edits = [...fix.edits].sort((a, b) => a.range.start - b.range.start);
      edits.forEach((e, i) => {
        inText(e.range, `fix ${fix.title}`);
        if (i > 0) assert.ok(edits[i - 1].range.end <= e.range.start, `overlapping edits in ${fix.title}`);
      });
    }
  }
}

function lintChecked(l: Linter, text: string, options = {}): void {
  let report: LintReport | undefined;
  assert.doesNotThrow(() => {
    report = l.lint(text, options);
  }, `threw on ${JSON.stringify(text.slice(0, 200))}`);
  checkReport(text, report!);
}

describe('fuzz: the linter on broken input', function () {
  // A generous outer limit: 3,000 lints take ~7 s alone and three times that on a shared, loaded machine.
  this.timeout(120_000);
  it('3,000 seeded truncations and mutations of the fixtures, and token soups: no throw, ranges inside', async () => {
    const l = await linter();
    const texts = corpus();
    const rnd = random(20250611);
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      let text = texts[i % texts.length];
      const rounds = 1 + Math.floor(rnd() * 3);
      for (let r = 0; r < rounds; r++) text = mutate(text, rnd);
      const options = i % 7 === 0 ? { nattenVersion: ['0.14', '0.15', '0.17', '0.17.5', '0.20'][i % 5], defaultInputSize: [32, 32] } : {};
      lintChecked(l, text, options);
      calls += l.lint(text).calls.length;
    }
    assert.ok(calls > 1000, `the mutated texts still hold NATTEN calls (${calls})`);
  });

  it('fast-check: arbitrary strings and token sequences', async () => {
    const l = await linter();
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), soup), (text) => {
        lintChecked(l, text);
      }),
      { numRuns: 1500, seed: 42 },
    );
  });
});
