// The editor's pure parts of traced runs: the command line of "GNA: Trace a Run…" and the
// Traced Layers view's rows and model-level estimate (checked against a direct sum over calls).
import { strict as assert } from 'assert';
import { checkProblem } from '../../../extension/core/validate';
import { defaultTiles } from '../../../extension/core/presets';
import { simulate } from '../../../extension/core/simulator';
import type { TraceFile, TracedCall } from '../../../extension/core/traceSchema';
import { splitCommandLine, tracedArgv, traceSummary } from '../../../extension/host/pure/traceCommand';
import { configLabel, estimateLabel, modelEstimate, parseShare, tracedSites } from '../../../extension/host/pure/tracedLayers';

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
    assert.match(configLabel(first).description, / sim · 32 calls$/);
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
    assert.match(estimateLabel(estimate), /^attention .*× sim over 64 calls → model .*× at 50% attention$/);
    assert.equal(modelEstimate(t, sites)!.endToEnd, undefined);
    assert.equal(modelEstimate(trace([]), []), undefined);
  });
});
