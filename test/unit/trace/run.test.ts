// `gna trace` end to end without torch: the shape-only NATTEN stand-ins of test/fixtures/trace
// run under the real Python tracer, and the trace must name each call site, layout, config and
// count exactly (the expected values are the programs' own literals, lines found by `# @name`).
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, join, resolve } from 'path';
import type { TraceFile, TracedCall } from '../../../extension/core/traceSchema';
import { parseTrace } from '../../../extension/cli/traceFiles';
import { runCli } from '../../support/cli';

const REPO = resolve(__dirname, '../../../..');
const FIXTURES = join(REPO, 'test/fixtures/trace');

/** A fresh copy of the programs, so the trace's paths are relative to a folder of our own. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gna-trace-'));
  cpSync(join(FIXTURES, 'programs'), dir, { recursive: true });
  return dir;
}

/** Runs `gna trace` with `paths` (stand-in folders) on PYTHONPATH, as a user's environment would. */
async function trace(dir: string, paths: string[], command: string[]): Promise<{ code: number; err: string; trace?: TraceFile }> {
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = paths.map((p) => join(FIXTURES, p)).join(delimiter);
  try {
    const out = join(dir, '.gna', 'trace.json');
    const r = await runCli(['trace', '--out', out, '--', ...command]);
    const parsed = existsSync(out) ? parseTrace(readFileSync(out, 'utf8')) : undefined;
    if (typeof parsed === 'string') assert.fail(parsed);
    return { code: r.code, err: r.err, ...(parsed ? { trace: parsed } : {}) };
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
  }
}

/** 1-based line of `# @name` in the file, and that line as the tracer records it. */
function marker(dir: string, file: string, name: string): { line: number; code: string } {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.endsWith(`# @${name}`));
  assert.ok(index >= 0, `no # @${name} in ${file}`);
  return { line: index + 1, code: lines[index].trim() };
}

function site(dir: string, file: string, name: string, op: string) {
  return { file, ...marker(dir, file, name), op };
}

const f2 = [false, false];

describe('gna trace (Python tracer, NATTEN stand-ins, no torch)', function () {
  this.timeout(60_000);

  it('records each call site of a NATTEN 0.21 model with its layout, config and count', async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021', 'fake_torch'], ['python3', join(dir, 'run_021.py'), '--compile']);
    assert.equal(r.code, 0, r.err);
    const t = r.trace!;
    assert.equal(t.natten, '0.21.0');
    assert.equal(t.processes, 1);
    assert.equal(t.failed, 0);
    assert.equal(t.root, dir.replace(/\\/g, '/'));
    const m2 = site(dir, 'layers.py', 'module2d', 'NeighborhoodAttention2D');
    const m3 = site(dir, 'layers.py', 'module3d', 'NeighborhoodAttention3D');
    const na2 = site(dir, 'layers.py', 'na2d', 'na2d');
    const na1 = site(dir, 'layers.py', 'na1d', 'na1d');
    const gen = site(dir, 'layers.py', 'generic', 'neighborhood_attention_generic');
    const gpu = { dtype: 'float16', device: 'cuda:0' };
    const expected: TracedCall[] = [
      // The module is recorded where it was built (the call the linter sees), once per layout.
      { ...m2, layout: [56, 56], batch: 2, heads: 4, headDim: 32, ...gpu, kernelSize: [7, 9], stride: [1, 3], dilation: [1, 1], isCausal: f2, count: 3 },
      { ...m2, layout: [28, 28], batch: 2, heads: 4, headDim: 32, dtype: 'bfloat16', device: 'cuda:0', kernelSize: [7, 9], stride: [1, 3], dilation: [1, 1], isCausal: f2, count: 1 },
      { ...m3, layout: [8, 16, 16], batch: 1, heads: 4, headDim: 32, ...gpu, kernelSize: [3, 3, 3], stride: [1, 1, 1], dilation: [1, 2, 2], isCausal: [true, false, false], count: 1 },
      // The call made while "compiling" (batch 9) is not there.
      { ...na2, layout: [56, 56], batch: 2, heads: 4, headDim: 32, ...gpu, kernelSize: [7, 7], stride: [2, 2], dilation: [1, 1], isCausal: f2, count: 5 },
      { ...na2, layout: [28, 28], batch: 2, heads: 4, headDim: 32, ...gpu, kernelSize: [7, 7], stride: [2, 2], dilation: [1, 1], isCausal: f2, count: 1 },
      {
        ...na1, layout: [4096], batch: 1, heads: 8, headDim: 64, dtype: 'float16', device: 'cpu', kernelSize: [64], stride: [1], dilation: [1], isCausal: [true],
        tiles: { qTileShape: [128], kvTileShape: [64] }, backend: 'cutlass-fna', count: 1,
      },
      { ...gen, layout: [8, 32, 32], batch: 1, heads: 2, headDim: 64, ...gpu, kernelSize: [3, 5, 5], stride: [1, 1, 1], dilation: [1, 1, 1], isCausal: [false, false, false], count: 1 },
    ];
    const order = (a: TracedCall, b: TracedCall) => a.line - b.line || b.count - a.count;
    assert.deepEqual([...t.calls].sort(order), expected.sort(order));
    assert.deepEqual(t.unread, []);
    assert.deepEqual(Object.keys(t.files), ['layers.py']);
    assert.match(r.err, /13 calls at 5 call sites in 1 file \(1 process, natten 0\.21\.0\)/);
  });

  it('reads the 0.14 ops (heads-first tensors, legacy 3-D depth arguments) and not the ops a module calls inside', async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_014'], ['python3', join(dir, 'run_014.py')]);
    assert.equal(r.code, 0, r.err);
    const cpu = { dtype: 'float32', device: 'cpu' };
    const qk = site(dir, 'run_014.py', 'qkrpb', 'natten2dqkrpb');
    const av = site(dir, 'run_014.py', 'av', 'natten2dav');
    const per = (dilation: number) => ({ layout: [56, 56], batch: 2, heads: 4, headDim: 32, ...cpu, kernelSize: [7, 7], stride: [1, 1], dilation: [dilation, dilation], isCausal: f2, count: 1 });
    const expected: TracedCall[] = [
      { ...qk, ...per(1) },
      { ...qk, ...per(8) },
      { ...av, ...per(1) },
      { ...av, ...per(8) },
      { ...site(dir, 'run_014.py', 'module', 'NeighborhoodAttention2D'), layout: [14, 14], batch: 3, heads: 2, headDim: 32, ...cpu, kernelSize: [5, 5], stride: [1, 1], dilation: [1, 1], isCausal: f2, count: 1 },
      {
        ...site(dir, 'run_014.py', 'qkrpb3d', 'natten3dqkrpb'), layout: [8, 16, 16], batch: 1, heads: 2, headDim: 32, dtype: 'float16', device: 'cuda:0',
        kernelSize: [3, 7, 7], stride: [1, 1, 1], dilation: [1, 2, 2], isCausal: [false, false, false], count: 1,
      },
    ];
    const order = (a: TracedCall, b: TracedCall) => a.line - b.line || a.dilation[0] - b.dilation[0];
    assert.deepEqual([...r.trace!.calls].sort(order), expected.sort(order));
    assert.equal(r.trace!.natten, '0.14.6');
  });

  it('merges the processes of one run and leaves forked children their own calls', async () => {
    const dir = workspace();
    const two = await trace(dir, ['natten_021'], ['python3', join(dir, 'two_processes.py')]);
    assert.equal(two.code, 0, two.err);
    assert.equal(two.trace!.processes, 2);
    const na2 = marker(dir, 'layers.py', 'na2d').line;
    const counts = two.trace!.calls.filter((c) => c.line === na2).map((c) => [c.layout.join('x'), c.count]);
    assert.deepEqual(counts.sort(), [['28x28', 2], ['56x56', 10]]);

    const forked = await trace(workspace(), ['natten_021'], ['python3', join(dir, 'forked.py')]);
    assert.equal(forked.code, 0, forked.err);
    assert.equal(forked.trace!.processes, 2);
    assert.deepEqual(forked.trace!.calls.map((c) => [c.layout.join('x'), c.count]).sort(), [['28x28', 1], ['56x56', 1]]);
  });

  it("names the user's line when the op is called through torch's code (frames inside torch are skipped)", async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021', 'fake_torch'], ['python3', join(dir, 'checkpointed.py')]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.trace!.calls.map((c) => [c.file, c.line, c.op, c.layout]), [['checkpointed.py', marker(dir, 'checkpointed.py', 'checkpointed').line, 'na2d', [32, 32]]]);
  });

  it("passes the command's exit code through, still writing the trace", async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021'], ['python3', join(dir, 'run_021.py'), '--fail']);
    assert.equal(r.code, 3);
    assert.ok(r.trace && r.trace.calls.length > 0);
  });

  it("runs the program's own sitecustomize after the tracer's", async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021', 'user_site'], ['python3', join(dir, 'user_site_check.py')]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.trace!.calls, []);
  });

  it('gna lint --trace checks the traced call sites with their traced configs, and says when a file is stale', async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021'], ['python3', join(dir, 'run_021.py')]);
    assert.equal(r.code, 0, r.err);
    const out = join(dir, '.gna', 'trace.json');
    const layers = join(dir, 'layers.py');
    const summaries = async () => {
      const lint = await runCli(['lint', '--trace', out, '--format', 'json', layers]);
      const findings = JSON.parse(lint.out) as { line: number; rule: string; message: string }[];
      return findings.filter((f) => f.rule === 'gna/summary').map((f) => `${f.line} ${f.message.slice(0, f.message.indexOf(']') + 1)}`);
    };
    const { line: m2 } = marker(dir, 'layers.py', 'module2d');
    const { line: na2 } = marker(dir, 'layers.py', 'na2d');
    assert.deepEqual((await summaries()).filter((s) => s.startsWith(`${m2} `) || s.startsWith(`${na2} `)), [
      `${m2} [traced 56×56]`, `${m2} [traced 28×28]`, `${na2} [traced 56×56]`, `${na2} [traced 28×28]`,
    ]);
    writeFileSync(layers, `# edited after the trace\n${readFileSync(layers, 'utf8')}`);
    assert.ok((await summaries()).includes(`${na2 + 1} [traced 56×56 (stale)]`));
    const bad = await runCli(['lint', '--trace', join(dir, 'layers.py'), layers]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--trace .*layers\.py: not JSON/);
  });

  it('gna calls --trace lists each traced call site with its traced layouts, values and calls', async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021'], ['python3', join(dir, 'run_021.py')]);
    assert.equal(r.code, 0, r.err);
    const layers = join(dir, 'layers.py');
    const rows = async (...flags: string[]) => {
      const calls = await runCli(['calls', ...flags, '--format', 'json', layers]);
      assert.equal(calls.code, 0, calls.err);
      return JSON.parse(calls.out) as { line: number; op: string; configs: number; layout: { values: number[][]; source: string }; args: Record<string, { values: unknown[] }>; traced?: { calls: number; stale: boolean } }[];
    };
    const pick = (row: Awaited<ReturnType<typeof rows>>[number]) => ({
      line: row.line, op: row.op, configs: row.configs, layout: row.layout, kernel: row.args.kernel_size.values, stride: row.args.stride.values, traced: row.traced,
    });
    const traced = (await rows('--trace', join(dir, '.gna', 'trace.json'))).map(pick);
    const m2 = marker(dir, 'layers.py', 'module2d').line;
    const na2 = marker(dir, 'layers.py', 'na2d').line;
    assert.deepEqual(traced.find((t) => t.line === na2), {
      line: na2, op: 'na2d', configs: 2, layout: { values: [[56, 56], [28, 28]], source: 'trace' }, kernel: [[7, 7]], stride: [[2, 2]], traced: { calls: 6, stale: false },
    });
    assert.deepEqual(traced.find((t) => t.line === m2), {
      line: m2, op: 'NeighborhoodAttention2D', configs: 2, layout: { values: [[56, 56], [28, 28]], source: 'trace' }, kernel: [[7, 9]], stride: [[1, 3]], traced: { calls: 4, stale: false },
    });
    const plain = (await rows()).map(pick).find((t) => t.line === na2)!;
    assert.deepEqual([plain.layout.values, plain.traced], [[], undefined]);
    const table = await runCli(['calls', '--trace', join(dir, '.gna', 'trace.json'), layers]);
    assert.match(table.out, /56×56 \| 28×28 \(traced ×6\)/);
  });

  it('merges parts recorded without node (--from-parts) into the same trace', async () => {
    const dir = workspace();
    const parts = mkdtempSync(join(tmpdir(), 'gna-parts-'));
    const env = { ...process.env, PYTHONPATH: [join(REPO, 'python', 'gna_trace', 'boot'), join(REPO, 'python'), join(FIXTURES, 'natten_021')].join(delimiter), GNA_TRACE_PARTS: parts };
    const run = spawnSync('python3', [join(dir, 'run_021.py')], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const out = join(dir, '.gna', 'trace.json');
    const merged = await runCli(['trace', '--from-parts', parts, '--out', out]);
    assert.equal(merged.code, 0, merged.err);
    const fromParts = parseTrace(readFileSync(out, 'utf8'));
    if (typeof fromParts === 'string') assert.fail(fromParts);
    const other = workspace();
    const direct = await trace(other, ['natten_021'], ['python3', join(other, 'run_021.py')]);
    const strip = (calls: TracedCall[]) => calls.map((c) => ({ ...c })).sort((a, b) => a.line - b.line || b.count - a.count);
    assert.deepEqual(strip(fromParts.calls), strip(direct.trace!.calls));
    const empty = await runCli(['trace', '--from-parts', mkdtempSync(join(tmpdir(), 'gna-none-')), '--out', join(dir, 'x.json')]);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /no part files/);
  });

  it('writes nothing for a program that never imports natten', async () => {
    const dir = workspace();
    const r = await trace(dir, ['natten_021'], ['python3', join(dir, 'no_natten.py')]);
    assert.equal(r.code, 0);
    assert.equal(r.trace, undefined);
    assert.match(r.err, /no traced Python process imported natten/);
  });

  it('says so when the command does not exist, and asks for the command', async () => {
    const missing = await runCli(['trace', '--', 'gna-no-such-command-xyz']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot run gna-no-such-command-xyz: command not found/);
    const none = await runCli(['trace', '--out', 'x.json']);
    assert.equal(none.code, 2);
    assert.match(none.err, /give the command to trace after --/);
  });
});
