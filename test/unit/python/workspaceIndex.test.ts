// The editor's workspace index (issue 16): a long-lived PythonWorkspace updated file by file must
// answer exactly as one built afresh from the same files, a lint records what it consulted, and
// a change re-lints an open document only when it can change that document's report (checked
// against linting again, over every candidate change). Also the index's bounds and exclusions.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { join } from 'path';
import type { Linter, LintReport } from '../../../extension/lint';
import { excludedGlobs, exclusionMatcher, IndexBudget } from '../../../extension/host/pure/indexBudget';
import { WorkerLinter } from '../../../extension/host/workerLinter';
import { PythonWorkspace } from '../../../extension/python/workspace';
import { documentsToRelint, dependsOnChange, SKIPPED_DIRS } from '../../../extension/python/workspaceFiles';
import { grammarBytes, linter } from '../lint/helpers';

const BACKBONE = [
  'import torch.nn as nn',
  'from natten import NeighborhoodAttention2D',
  '',
  'class DilatedBlock(nn.Module):',
  '    def __init__(self, dim, heads, kernel_size=7, dilation=1):',
  '        # gna: input_size=(56, 56)',
  '        self.attn = NeighborhoodAttention2D(dim, heads, kernel_size=kernel_size, dilation=dilation)',
  '',
].join('\n');

const factory = (dilations: string) =>
  ['from backbone import DilatedBlock', '', `def tiny(dilations=${dilations}):`, '    return [DilatedBlock(64, 2, kernel_size=7, dilation=d) for d in dilations]', ''].join('\n');

/** Texts another file may take: calls of the block or not, imports or not, a config class or not. */
const CANDIDATES = [
  factory('(1, 8, 1)'),
  factory('(2, 4)'),
  factory('(1, 8, 1)').replace('from backbone import DilatedBlock', ''),
  'import torch\n\ndef unrelated(x):\n    return x * 2\n',
  '# DilatedBlock is described in backbone.py\n',
  'from backbone import DilatedBlock\nblock = DilatedBlock(32, 1, 5, 3)\n',
  'class StageConfig:\n    def __init__(self, kernel_size=5):\n        self.kernel_size = kernel_size\n',
  '',
];

/** What a report says, without ranges that depend on nothing but the text. */
function summary(report: LintReport): string {
  return JSON.stringify({ calls: report.calls.map((c) => [c.op, c.variant, c.raw]), findings: report.findings.map((f) => [f.rule, f.message]) });
}

function lintIn(l: Linter, ws: PythonWorkspace, text: string, path: string): { report: LintReport; deps: ReturnType<PythonWorkspace['stopRecording']> } {
  ws.startRecording();
  const report = l.lint(text, { workspace: ws, path, family: 'hopper', headDim: 128 });
  return { report, deps: ws.stopRecording() };
}

describe('workspace index: a workspace kept up to date file by file', function () {
  this.timeout(120_000);

  it('answers every search as a workspace built afresh from the same files (random edits, creations and deletions)', async () => {
    const l = await linter();
    const words = ['DilatedBlock', 'tiny', 'StageConfig', 'unrelated', 'natten'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom('a.py', 'b.py', 'c.py', 'd.py'), text: fc.constantFrom(...CANDIDATES) }),
      fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom('a.py', 'b.py', 'c.py', 'd.py') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(fc.constantFrom(...words), { maxLength: 3 }), (ops, warm) => {
        const files = new Map<string, string>();
        const live = l.workspace(files);
        try {
          for (const o of ops) {
            // Searches cached before the change must be answered anew where it matters.
            for (const w of warm) live.pathsMentioning(w);
            live.pathsMatching(/\bclass\s+\w*Config\b/);
            if (o.kind === 'set') {
              files.set(o.path, o.text);
              live.set(o.path, o.text);
            } else {
              files.delete(o.path);
              live.delete(o.path);
            }
          }
          const fresh = l.workspace(files);
          for (const w of words) assert.deepEqual([...live.pathsMentioning(w)].sort(), [...fresh.pathsMentioning(w)].sort(), w);
          assert.deepEqual([...live.pathsMatching(/\bclass\s+\w*Config\b/)].sort(), [...fresh.pathsMatching(/\bclass\s+\w*Config\b/)].sort());
          for (const [path, text] of files) assert.equal(live.model(path)?.text, text);
          for (const path of ['a.py', 'b.py', 'c.py', 'd.py']) if (!files.has(path)) assert.equal(live.model(path), undefined);
          fresh.dispose();
        } finally {
          live.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('records what a lint consulted: the files it read and the words it searched for', async () => {
    const l = await linter();
    const ws = l.workspace(new Map([['factory.py', factory('(1, 8, 1)')], ['other.py', CANDIDATES[3]]]));
    const { report, deps } = lintIn(l, ws, BACKBONE, 'backbone.py');
    assert.deepEqual(report.calls.map((c) => c.variant), ['d=1', 'd=8']);
    assert.deepEqual(deps.paths, ['factory.py']);
    assert.ok(deps.words.includes('DilatedBlock'));
    assert.equal(dependsOnChange(deps, 'other.py', CANDIDATES[3]), false);
    assert.equal(dependsOnChange(deps, 'factory.py', undefined), true, 'a consulted file that is deleted');
    assert.equal(dependsOnChange(deps, 'new.py', 'x = DilatedBlock(1, 1)\n'), true, 'a new file that mentions a searched word');
    ws.dispose();
  });

  it('re-lints an open document exactly when a change can alter its report (every candidate change, checked by linting again)', async () => {
    const l = await linter();
    let changed = 0;
    for (const start of CANDIDATES) {
      for (const next of [...CANDIDATES, undefined]) {
        const files = new Map([['factory.py', start], ['other.py', CANDIDATES[3]]]);
        const ws = l.workspace(files);
        const before = lintIn(l, ws, BACKBONE, 'backbone.py');
        const relint = documentsToRelint(new Map([['backbone.py', before.deps]]), [{ path: 'factory.py', ...(next !== undefined ? { text: next } : {}) }]);
        if (next === undefined) ws.delete('factory.py');
        else ws.set('factory.py', next);
        const after = lintIn(l, ws, BACKBONE, 'backbone.py');
        // Sound: a report that changed is always re-linted (a re-lint that finds nothing new is allowed).
        if (summary(after.report) !== summary(before.report)) {
          changed++;
          assert.deepEqual(relint, ['backbone.py'], `${JSON.stringify(start)} → ${JSON.stringify(next)}`);
        }
        ws.dispose();
      }
    }
    assert.ok(changed >= 10, `only ${changed} changes altered the report: the candidates test too little`);
    // Precise where it matters: a change to a file the lint never looked at re-lints nothing, and a
    // document is never re-linted for its own change.
    const ws = l.workspace(new Map([['factory.py', factory('(1, 8, 1)')], ['other.py', CANDIDATES[3]]]));
    const { deps } = lintIn(l, ws, BACKBONE, 'backbone.py');
    const lints = new Map([['backbone.py', deps]]);
    assert.deepEqual(documentsToRelint(lints, [{ path: 'other.py', text: 'import torch\n' }]), []);
    assert.deepEqual(documentsToRelint(lints, [{ path: 'backbone.py', text: BACKBONE }]), []);
    assert.deepEqual(documentsToRelint(lints, [{ path: 'factory.py', text: factory('(2,)') }]), ['backbone.py']);
    ws.dispose();
  });

  it('keeps a bounded number of parsed models between lints, and rebuilds one on need', async () => {
    const l = await linter();
    const ws = l.workspace(new Map(CANDIDATES.map((t, i) => [`f${i}.py`, t])));
    const first = ws.model('f0.py');
    for (let i = 1; i < CANDIDATES.length; i++) ws.model(`f${i}.py`);
    ws.trim(2);
    assert.notEqual(ws.model('f0.py'), first, 'the least recently used model was dropped and is rebuilt');
    assert.equal(ws.model('f0.py')?.text, CANDIDATES[0]);
    ws.dispose();
  });
});

describe('workspace index: the worker gets the files as they change', function () {
  this.timeout(120_000);

  it('resolves across the files it was sent, follows a changed file, and gives them whole to a fresh worker', async () => {
    const script = join(__dirname, '..', '..', '..', 'extension', 'host', 'lintWorker.js');
    const worker = await WorkerLinter.start(script, grammarBytes());
    try {
      const options = { path: 'backbone.py', family: 'hopper' as const, headDim: 128 };
      const alone = await worker.lint(BACKBONE, options);
      assert.deepEqual(alone.calls.map((c) => c.variant), [undefined]);
      worker.updateFiles(new Map([['factory.py', factory('(1, 8, 1)')], ['backbone.py', BACKBONE]]));
      const across = await worker.lint(BACKBONE, options);
      assert.deepEqual(across.calls.map((c) => c.variant), ['d=1', 'd=8']);
      assert.deepEqual(across.dependencies.paths, ['factory.py']);
      worker.updateFiles(new Map([['factory.py', factory('(2, 4)')]]));
      assert.deepEqual((await worker.lint(BACKBONE, options)).calls.map((c) => c.variant), ['d=2', 'd=4']);
      // A worker that dies is replaced; the new one has the same files.
      const inside = worker as unknown as { worker?: { terminate(): Promise<number> } };
      await inside.worker!.terminate();
      while (inside.worker) await new Promise<void>((resolve) => setImmediate(resolve));
      const again = await worker.lint(BACKBONE, options);
      assert.deepEqual(again.calls.map((c) => c.variant), ['d=2', 'd=4']);
      assert.ok(worker.stats.starts >= 2, 'a fresh worker served the last lint');
      worker.updateFiles(new Map(), ['factory.py']);
      assert.deepEqual((await worker.lint(BACKBONE, options)).calls.map((c) => c.variant), [undefined]);
      assert.equal(worker.fileCount, 1);
    } finally {
      worker.dispose();
    }
  });
});

describe('workspace index: bounds and exclusions', () => {
  it('holds at most the file count and total size, counts a changed file once, and says which bound refused', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 40 }), (ops) => {
        const budget = new IndexBudget(3, 40, 100);
        const held = new Map<string, number>();
        for (const [path, bytes, remove] of ops) {
          if (remove) {
            assert.equal(budget.remove(path), held.delete(path));
            continue;
          }
          const total = [...held].reduce((n, [p, b]) => n + (p === path ? 0 : b), 0);
          const expected = bytes > 40 ? 'file-too-large' : !held.has(path) && held.size >= 3 ? 'too-many-files' : total + bytes > 100 ? 'index-full' : undefined;
          assert.equal(budget.admit(path, bytes), expected);
          if (expected) held.delete(path);
          else held.set(path, bytes);
          assert.equal(budget.files, held.size);
          assert.equal(budget.bytes, [...held.values()].reduce((n, b) => n + b, 0));
        }
      }),
    );
  });

  it('skips the folders the CLI skips and files.exclude, a folder pattern excluding all under it', () => {
    const globs = excludedGlobs(SKIPPED_DIRS, { '**/build': true, '**/*.gen.py': true, 'docs': false, '**/.git': true });
    assert.ok(!globs.includes('docs'));
    assert.equal(globs.filter((g) => g === '**/.git').length, 1);
    const excluded = exclusionMatcher(globs);
    for (const path of ['node_modules/pkg/a.py', 'src/.venv/lib/x.py', 'build/m.py', 'a/build/b/c.py', 'models/net.gen.py', '.git/hooks/x.py']) assert.ok(excluded(path), path);
    for (const path of ['models/net.py', 'builder/m.py', 'docs/conf.py', 'envs/x.py']) assert.ok(!excluded(path), path);
  });
});
