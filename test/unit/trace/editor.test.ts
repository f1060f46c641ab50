// The editor's pure parts of traced runs: the command line of "GNA: Trace a Run…", the Traced
// Layers view's rows and model-level estimate (checked against a direct sum over calls), and the
// benchmark's start from a traced call's workload.
import { strict as assert } from 'assert';
import { checkProblem } from '../../../extension/core/validate';
import { defaultTiles } from '../../../extension/core/presets';
import { simulate } from '../../../extension/core/simulator';
import type { TraceFile, TracedCall } from '../../../extension/core/traceSchema';
import { DEFAULT_FLOW, flowWorkload, MAX_BATCH } from '../../../extension/host/pure/benchFlow';
import { callTarget, parseCallTarget } from '../../../extension/host/pure/calls';
import { splitCommandLine, tracedArgv, traceSummary } from '../../../extension/host/pure/traceCommand';
import { configLabel, estimateLabel, modelEstimate, parseShare, tracedSites } from '../../../extension/host/pure/tracedLayers';
import { linter } from '../lint/helpers';

describe('Trace a Run: the command line', () => {
  it('splits words as a shell does: quotes, escapes, and says when a quote is open', () => {
    assert.deepEqual(splitCommandLine(`python  train.py --name 'my run' --note "a \\"b\\"" c\\ d ''`), ['python', 'train.py', '--name', 'my run', '--note', 'a "b"', 'c d', '']);
    assert.equal(splitCommandLine('python "x.py'), 'The command has an unclosed " quote.');
    assert.deepEqual(splitCommandLine('   '), []);
  });

  it("puts the interpreter in Python's place, before a script or -m, and leaves other programs as typed", () => {
    const py = '/env/bin/python';
    assert.deepEqual(tracedArgv(['python3', 'train.py'], py), [py, 'train.py']);
    assert.deepEqual(tracedArgv(['/usr/bin/python3.11', '-c', 'x'], py), [py, '-c', 'x']);
    assert.deepEqual(tracedArgv(['train.py', '--steps', '1'], py), [py, 'train.py', '--steps', '1']);
    assert.deepEqual(tracedArgv(['-m', 'pytest', 'tests'], py), [py, '-m', 'pytest', 'tests']);
    assert.deepEqual(tracedArgv(['pytest', 'tests'], py), ['pytest', 'tests']);
    assert.deepEqual(tracedArgv(['pythonista'], py), ['pythonista']);
  });

  it("reads gna trace's last summary line", () => {
    assert.equal(traceSummary('hello\ngna trace: 4 calls at 1 call site in 1 file (1 process) → .gna/trace.json\n'), '4 calls at 1 call site in 1 file (1 process) → .gna/trace.json');
    assert.equal(traceSummary('no summary here'), undefined);
  });

  it('reads the attention share as a fraction or a percentage in (0, 1]', () => {
    assert.deepEqual(['0.6', '60%', ' 1 ', '0', '101%', 'x', ''].map(parseShare), [0.6, 0.6, 1, undefined, undefined, undefined, undefined]);
  });
});

function call(file: string, line: number, layout: number[], kernel: number, count: number, batch = 2, heads = 4, headDim = 64): TracedCall {
  const rank = layout.length;
  return {
    file, line, op: `na${rank}d`, layout, batch, heads, headDim, kernelSize: new Array(rank).fill(kernel), stride: new Array(rank).fill(1),
    dilation: new Array(rank).fill(1), isCausal: new Array(rank).fill(false), count,
  };
}

function trace(calls: TracedCall[]): TraceFile {
  return { format: 'gna-trace', version: 1, tracedAt: '2026-12-04T00:00:00.000Z', command: [], root: '/w', processes: 1, failed: 0, files: {}, calls, unread: [] };
}

describe('Traced Layers: rows and the model estimate', () => {
  const calls = [
    call('a.py', 3, [56, 56], 7, 24),
    call('a.py', 3, [56, 56], 7, 8, 4),
    call('a.py', 3, [14, 14], 7, 24),
    call('b.py', 9, [4096], 256, 6, 1, 8, 128),
    call('b.py', 12, [4096], 4096, 2, 1, 8, 128), // dense: 1× simulated
  ];

  it('lists each call site once, its configs simulated like the core simulates them', () => {
    const sites = tracedSites(trace(calls), 'hopper');
    assert.deepEqual(sites.map((s) => [s.file, s.line, s.configs.map((c) => c.config.count)]), [['a.py', 3, [32, 24]], ['b.py', 9, [6]], ['b.py', 12, [2]]]);
    const first = sites[0].configs[0];
    const problem = checkProblem({ inputSize: [56, 56], windowSize: [7, 7] }).problem!;
    const preset = defaultTiles('hopper', 2, 64)!;
    assert.deepEqual(first.simulation, simulate(problem, { q: preset.q, kv: preset.kv }));
    assert.deepEqual(first.config.batches, [2, 4]);
    assert.match(configLabel(first).label, /^56×56 · window 7×7$/);
    assert.match(configLabel(first).description, / simulated speedup · 32 calls$/);
  });

  it("weights each call's speedup by its dense cost, and applies Amdahl with the share", () => {
    const t = trace(calls);
    const sites = tracedSites(t, 'hopper');
    const estimate = modelEstimate(t, sites, 0.5)!;
    // Straight from the definition: Σ cost ÷ Σ cost/speedup, each call's speedup simulated on its own.
    let dense = 0;
    let gna = 0;
    for (const c of calls) {
      const problem = checkProblem({ inputSize: c.layout, windowSize: c.kernelSize }).problem!;
      const preset = defaultTiles('hopper', c.layout.length, c.headDim)!;
      const s = simulate(problem, { q: preset.q, kv: preset.kv }).simulated;
      const tokens = c.layout.reduce((a, b) => a * b, 1);
      const cost = c.count * c.batch * c.heads * c.headDim * tokens * tokens;
      dense += cost;
      gna += cost / s;
    }
    assert.ok(Math.abs(estimate.attention - dense / gna) < 1e-9 * estimate.attention);
    assert.ok(Math.abs(estimate.endToEnd! - 1 / (0.5 + 0.5 / estimate.attention)) < 1e-12);
    assert.equal(estimate.calls, 64);
    assert.match(estimateLabel(estimate), /^attention .*× simulated over 64 calls → model .*× at 50% attention$/);
    assert.equal(modelEstimate(t, sites)!.endToEnd, undefined);
    assert.equal(modelEstimate(trace([]), []), undefined);
  });
});

describe('Traced calls start the benchmark from what the run ran', () => {
  it('carries the traced batch, heads, head dim and dtype in the call target, through a link and back', async () => {
    const text = 'from natten import na2d\ny = na2d(q, k, v, kernel_size=7)\n';
    const traced = (batch: number, heads: number, dtype: string): TracedCall => ({
      file: 'm.py', line: 2, op: 'na2d', layout: [56, 56], batch, heads, headDim: 64, dtype, kernelSize: [7, 7], stride: [1, 1], dilation: [1, 1], isCausal: [false, false], count: 1,
    });
    const report = (await linter()).lint(text, { trace: { calls: [traced(2, 4, 'float16'), traced(8, 4, 'float16')], unread: [], stale: false, tracedAt: '2026-12-04T00:00:00.000Z' } });
    const target = callTarget('file:///m.py', report.calls[0])!;
    assert.deepEqual(target.traced, { batch: 8, heads: 4, headDim: 64, dtype: 'float16' });
    const back = parseCallTarget(JSON.parse(JSON.stringify(target)));
    assert.ok(typeof back !== 'string');
    assert.deepEqual(back.traced, target.traced);
    const tampered = parseCallTarget({ ...JSON.parse(JSON.stringify(target)), traced: { batch: -1, heads: 4, headDim: 64 } });
    assert.ok(typeof tampered !== 'string' && tampered.traced === undefined);
  });

  it('takes the traced workload over the remembered one where the kernel has it', () => {
    assert.deepEqual(flowWorkload({ batch: 8, heads: 12, headDim: 64, dtype: 'float16' }, DEFAULT_FLOW), { ...DEFAULT_FLOW, batch: 8, heads: 12, headDim: 64, dtype: 'float16' });
    // float32 and head dim 96 are not the kernel's: the remembered values stay.
    assert.deepEqual(flowWorkload({ batch: 2, heads: 2, headDim: 96, dtype: 'float32' }, DEFAULT_FLOW), { ...DEFAULT_FLOW, batch: 2, heads: 2 });
    assert.equal(flowWorkload({ batch: 10 ** 6, heads: 1, headDim: 64 }, DEFAULT_FLOW).batch, MAX_BATCH);
    assert.equal(flowWorkload(undefined, DEFAULT_FLOW), DEFAULT_FLOW);
  });
});
