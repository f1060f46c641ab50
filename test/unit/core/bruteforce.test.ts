// Every closed form of the core against brute-force enumeration of the mask on many small random
// problems: all ranks, odd and even windows, strides, dilation, causal, non-divisible sizes.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import {
  axisNeighborhood,
  attendedPairs,
  fullMask,
  neighborhoodKeys,
  simulate,
  tileAxes,
  pairKind,
  unflatten,
} from '../../../extension/core';
import { caseArb } from '../../support/arbitraries';
import { boxTileOf, bruteAttends, bruteTiles, permutedLayoutTiles, specAttends } from '../../support/bruteforce';

const SEED = 20261122;

/** A random valid problem with at most `maxTokens` tokens, plus tile shapes. */
const problemArb = (maxTokens: number) => caseArb(maxTokens).map(({ problem, tiles }) => ({ problem, q: tiles.q, kv: tiles.kv }));

describe('window math against the spec predicate', () => {
  it('axisNeighborhood matches the per-pair rule on every query of random axes', () => {
    fc.assert(
      fc.property(problemArb(64), ({ problem }) => {
        const axis = { n: problem.inputSize[0], k: problem.windowSize[0], s: problem.stride[0], d: problem.dilation[0], causal: problem.causal[0] };
        for (let q = 0; q < axis.n; q++) {
          const nb = axisNeighborhood(q, axis);
          for (let kv = 0; kv < axis.n; kv++) {
            const inSet = kv >= nb.first && kv <= nb.last && (kv - nb.first) % nb.step === 0;
            assert.equal(inSet, specAttends(q, kv, axis.n, axis.k, axis.s, axis.d, axis.causal), `q=${q} kv=${kv}`);
          }
          // Non-causal windows have exactly k keys and never leave the axis.
          if (!axis.causal) assert.equal((nb.last - nb.first) / nb.step + 1, axis.k);
          assert.ok(nb.first >= 0 && nb.last < axis.n);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('every query attends at least one key, and the mask is the product over axes', () => {
    fc.assert(
      fc.property(problemArb(120), ({ problem }) => {
        const N = problem.inputSize.reduce((a, b) => a * b, 1);
        const mask = fullMask(problem);
        for (let q = 0; q < N; q++) {
          const keys = new Set(neighborhoodKeys(problem, unflatten(q, problem.inputSize)));
          assert.ok(keys.size >= 1);
          for (let kv = 0; kv < N; kv++) {
            const expected = bruteAttends(problem, q, kv);
            assert.equal(keys.has(kv), expected);
            assert.equal(mask.get(q, kv), expected);
          }
        }
        assert.equal(mask.count(), attendedPairs(problem));
      }),
      { seed: SEED + 1, numRuns: 150 },
    );
  });
});

describe('simulator against brute-force tile enumeration', () => {
  it('multi-dimensional tiling: visited, full, partial, worst Q tile, attended pairs', () => {
    fc.assert(
      fc.property(problemArb(160), ({ problem, q, kv }) => {
        const sim = simulate(problem, { q, kv }, { tiling: 'multi' });
        const capacity = (t: readonly number[]) => t.reduce((a, b) => a * b, 1);
        const brute = bruteTiles(problem, boxTileOf(problem, q), boxTileOf(problem, kv), capacity(q), capacity(kv));
        assert.equal(sim.visited, brute.visited, 'visited');
        assert.equal(sim.full, brute.full, 'full');
        assert.equal(sim.partial, brute.visited - brute.full, 'partial');
        assert.equal(sim.worstQTileVisits, brute.worst, 'worst Q tile');
        assert.equal(sim.attendedPairs, brute.attended, 'attended');
        assert.equal(sim.blockSparse, brute.visited === brute.full);
        const N = sim.tokens;
        assert.equal(sim.flopBound, (N * N) / brute.attended);
        // The headline charges every Q tile of NATTEN's padded, permuted layout (GNA-SPEC §5).
        const layoutQTiles = permutedLayoutTiles(problem, q);
        assert.ok(layoutQTiles >= brute.qTiles, 'the layout holds every real Q tile');
        assert.equal(sim.qTiles, layoutQTiles, 'Q tiles of the layout');
        assert.equal(sim.simulated, sim.total / (layoutQTiles * brute.worst), 'simulated');
        const paper = sim.denseQTileVisits / brute.worst;
        if (sim.paperSimulated === undefined) assert.ok(Math.abs(paper - sim.simulated) < 1e-9 * paper);
        else assert.equal(sim.paperSimulated, paper);
        // Without padding or dilation the paper's ratio is the headline.
        if (!problem.dilation.some((d) => d > 1) && !sim.padded) assert.equal(sim.paperSimulated, undefined);
      }),
      { seed: SEED + 2, numRuns: 400 },
    );
  });

  it('single-dimensional tiling: visited, full, worst Q tile', () => {
    fc.assert(
      fc.property(problemArb(160), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), ({ problem }, tq, tkv) => {
        const sim = simulate(problem, { q: [tq], kv: [tkv] }, { tiling: 'single' });
        const brute = bruteTiles(problem, (t) => Math.floor(t / tq), (t) => Math.floor(t / tkv), tq, tkv);
        assert.equal(sim.visited, brute.visited, 'visited');
        assert.equal(sim.full, brute.full, 'full');
        assert.equal(sim.worstQTileVisits, brute.worst, 'worst');
        assert.equal(sim.denseQTileVisits, Math.ceil(sim.tokens / tkv));
        assert.equal(sim.total, Math.ceil(sim.tokens / tq) * Math.ceil(sim.tokens / tkv));
      }),
      { seed: SEED + 3, numRuns: 400 },
    );
  });

  it('1-D layouts: single- and multi-dimensional tiling agree', () => {
    fc.assert(
      fc.property(problemArb(40), ({ problem, q, kv }) => {
        fc.pre(problem.inputSize.length === 1 && problem.dilation[0] === 1);
        const multi = simulate(problem, { q, kv }, { tiling: 'multi' });
        const single = simulate(problem, { q, kv }, { tiling: 'single' });
        assert.deepEqual([single.visited, single.full, single.worstQTileVisits], [multi.visited, multi.full, multi.worstQTileVisits]);
      }),
      { seed: SEED + 4, numRuns: 200 },
    );
  });

  it('pairKind classifies every box pair as enumeration does', () => {
    fc.assert(
      fc.property(problemArb(100), ({ problem, q, kv }) => {
        const axes = tileAxes(problem, { q, kv });
        const qTileOf = boxTileOf(problem, q);
        const kvTileOf = boxTileOf(problem, kv);
        const N = problem.inputSize.reduce((a, b) => a * b, 1);
        // Recover per-axis tile indices from the id the brute-force map gives.
        const split = (id: number, counts: number[]) => {
          const out: number[] = [];
          for (let i = counts.length - 1; i >= 0; i--) {
            out.unshift(id % counts[i]);
            id = Math.floor(id / counts[i]);
          }
          return out;
        };
        const qCounts = axes.map((a) => a.qTiles);
        const kvCounts = axes.map((a) => a.kvTiles);
        const pairs = new Map<string, number>();
        for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) {
          if (!bruteAttends(problem, a, b)) continue;
          const key = `${qTileOf(a)},${kvTileOf(b)}`;
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
        for (let qa = 0; qa < qCounts.reduce((x, y) => x * y, 1); qa++) {
          for (let kb = 0; kb < kvCounts.reduce((x, y) => x * y, 1); kb++) {
            const kind = pairKind(axes, split(qa, qCounts), split(kb, kvCounts));
            assert.equal(kind === 'empty', !pairs.has(`${qa},${kb}`), `pair ${qa},${kb}`);
          }
        }
      }),
      { seed: SEED + 5, numRuns: 150 },
    );
  });
});
