// `gna bench --backward` (issue 21) with scripted engines: the passes' calls, measured against
// simulateTraining's numbers, and a build without a backward kernel reported, not failed.
import { strict as assert } from 'assert';
import { defaultBackwardTiles, GnaProblem, simulateBackward, simulateTraining, TileShape } from '../../../extension/core';
import { PassComparisonSchema } from '../../../extension/core/benchSchema';
import type { BenchmarkRequest } from '../../../extension/native';
import { GnaNativeError } from '../../../extension/native';
import { runBench, runCli } from '../../support/cli';
import { denseOf, msOf, scriptedEngine } from '../../support/passEngine';

const run = runBench;

const ARGS = ['-i', '64', '64', '-w', '16', '-s', '4', '-d', '64'];

describe('gna bench --backward', () => {
  it('times the backward and the training step, dense first, on the backward preset, against simulateTraining', async () => {
    const requests: BenchmarkRequest[] = [];
    const r = await run([...ARGS, '--backward', '--json'], scriptedEngine(requests));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      requests.map((q) => [q.pass ?? 'forward', q.dense ?? false]),
      [['forward', true], ['forward', false], ['backward', true], ['backward', false], ['training', true], ['training', false]],
    );
    const backwardTiles = defaultBackwardTiles('hopper', 2, 64)!;
    for (const q of requests.slice(2)) assert.deepEqual(q.tiles, { q: [...backwardTiles.q], kv: [...backwardTiles.kv] });
    const json = JSON.parse(r.out);
    const problem = { inputSize: [64, 64], windowSize: [16, 16], stride: [4, 4], dilation: [1, 1], causal: [false, false] };
    const sim = simulateTraining(problem, json.tiles as TileShape, backwardTiles, { workload: json.workload });
    assert.equal(json.backward.simulation.simulated, sim.backward.simulated);
    assert.equal(json.backward.training.simulated, sim.training.simulated);
    const [backward, training] = json.backward.passes.map((p: unknown) => PassComparisonSchema.parse(p));
    const timed = (pass: 'backward' | 'training', dense: boolean) => msOf({ problem, workload: json.workload, tiles: { q: [...backwardTiles.q], kv: [...backwardTiles.kv] }, pass, dense });
    assert.ok(backward.available && training.available);
    assert.equal(backward.denseMs, timed('backward', true));
    assert.equal(backward.measured, timed('backward', true) / timed('backward', false));
    assert.equal(backward.simulated, sim.backward.simulated);
    assert.equal(backward.shareOfSimulated, backward.measured / sim.backward.simulated);
    assert.equal(training.measured, timed('training', true) / timed('training', false));
    assert.equal(training.simulated, sim.training.simulated);
    // A cost per KV-parallel step makes the measured backward speedup the ratio of steps.
    const steps = (p: GnaProblem) => simulateBackward(p, backwardTiles).steps;
    assert.equal(backward.measured.toFixed(9), (steps(denseOf(problem)) / steps(problem)).toFixed(9));
  });

  it('honours --backward-q-tile and --backward-kv-tile and prints the rows', async () => {
    const requests: BenchmarkRequest[] = [];
    const r = await run([...ARGS, '--backward-q-tile', '8', '8', '--backward-kv-tile', '16', '8'], scriptedEngine(requests));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(requests[2].tiles, { q: [8, 8], kv: [16, 8] });
    assert.match(r.out, /backward \(tiles 8×8 \/ 16×8\) +dense [^\n]+measured [\d.]+×, simulated [\d.]+× \([\d.]+% of simulated\)/);
    assert.match(r.out, /training step +dense /);
  });

  it('a build without a backward kernel: says so in the backward rows, the forward stands, exit 0', async () => {
    const requests: BenchmarkRequest[] = [];
    const unsupported = new GnaNativeError('GNA_ERR_UNSUPPORTED', 'no backward kernel in this build: the fused backward (issue 21) is not compiled in yet');
    const text = await run([...ARGS, '--backward'], scriptedEngine(requests, unsupported));
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /measured speedup/);
    assert.match(text.out, /backward \(tiles [^)]+\) +not measured: no backward kernel in this build[^\n]*; simulated [\d.]+×/);
    assert.match(text.out, /training step +not measured: no backward kernel/);
    const json = JSON.parse((await run([...ARGS, '--backward', '--json'], scriptedEngine([], unsupported))).out);
    const passes = json.backward.passes.map((p: unknown) => PassComparisonSchema.parse(p));
    assert.deepEqual(passes.map((p: { available: boolean; code: string | null }) => [p.available, p.code]), [[false, 'GNA_ERR_UNSUPPORTED'], [false, 'GNA_ERR_UNSUPPORTED']]);
  });

  it('any other failure of a backward pass fails the run (exit 4), as the forward would', async () => {
    const r = await run([...ARGS, '--backward'], scriptedEngine([], new GnaNativeError('GNA_ERR_OOM', 'out of memory')));
    assert.equal(r.code, 4);
    assert.match(r.err, /gna bench: GNA_ERR_OOM: out of memory/);
  });

  it('without --backward nothing but the forward is timed', async () => {
    const requests: BenchmarkRequest[] = [];
    const r = await run([...ARGS, '--json'], scriptedEngine(requests));
    assert.equal(r.code, 0);
    assert.equal(requests.length, 2);
    assert.equal(JSON.parse(r.out).backward, undefined);
  });

  it('without a usable GPU: the backward simulation beside the forward one (real addon on this machine)', async () => {
    const r = await runCli(['bench', ...ARGS, '--backward']);
    assert.equal(r.code, 3);
    assert.match(r.out, /backward simulated [\d.]+× \(worst KV tile: \d+ Q-tile visits, \d+ in self attention\), training step simulated [\d.]+×/);
    const json = JSON.parse((await runCli(['bench', ...ARGS, '--backward', '--json'])).out);
    assert.equal(json.available, false);
    assert.ok(json.training.backward.simulated > 1);
  });
});
