// The addon's CPU reference forward against a brute-force GNA forward written here from the
// spec's mask (neighborhoodKeys of the core), on random small problems: every rank, odd and
// even windows, strides, dilation, causal, head dims, several batches and heads.
import { strict as assert } from 'assert';
import { GnaProblem, neighborhoodKeys, product, unflatten, Workload } from '../../../extension/core';
import { GnaNative } from '../../../extension/native';
import { describeProblem, int, pick, randomProblem, randomTensor, rng } from './random';

/** out[b, x, h] = Σ_keys softmax(scale q·k) v, in float64, keys straight from the mask. */
function bruteForce(p: GnaProblem, w: Workload, scale: number, q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const tokens = product(p.inputSize);
  const { batch, heads, headDim: D } = w;
  const out = new Float64Array(batch * tokens * heads * D);
  const at = (b: number, t: number, h: number) => ((b * tokens + t) * heads + h) * D;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < tokens; t++) {
      const keys = neighborhoodKeys(p, unflatten(t, p.inputSize));
      for (let h = 0; h < heads; h++) {
        const scores = keys.map((key) => {
          let dot = 0;
          for (let c = 0; c < D; c++) dot += q[at(b, t, h) + c] * k[at(b, key, h) + c];
          return dot * scale;
        });
        const max = Math.max(...scores);
        const weights = scores.map((s) => Math.exp(s - max));
        const sum = weights.reduce((a, x) => a + x, 0);
        for (let c = 0; c < D; c++) {
          let acc = 0;
          keys.forEach((key, j) => (acc += weights[j] * v[at(b, key, h) + c]));
          out[at(b, t, h) + c] = acc / sum;
        }
      }
    }
  }
  return out;
}

function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) {
    num += (got[i] - want[i]) ** 2;
    den += want[i] ** 2;
  }
  return Math.sqrt(num / den);
}

const native = new GnaNative();

describe('native CPU reference forward vs brute force', () => {
  for (const [label, Make, tolerance, cases] of [
    ['float64', Float64Array, 1e-12, 60],
    ['float32', Float32Array, 1e-5, 30],
  ] as const) {
    it(`${label}: ${cases} random problems, relative error < ${tolerance}`, async () => {
      const rand = rng(label === 'float64' ? 1234 : 5678);
      for (let c = 0; c < cases; c++) {
        const rank = 1 + (c % 3);
        const problem = randomProblem(rand, rank, rank === 1 ? { maxWindow: 9, maxDilation: 3, maxSlack: 12 } : { maxWindow: 4, maxDilation: 2, maxSlack: 3 });
        const workload = { batch: int(rand, 1, 2), heads: int(rand, 1, 3), headDim: pick(rand, [1, 3, 8, 17, 32]) };
        const scale = rand() < 0.5 ? workload.headDim ** -0.5 : 0.3 + rand();
        const n = workload.batch * product(problem.inputSize) * workload.heads * workload.headDim;
        const q = randomTensor(rand, Make as typeof Float64Array, n);
        const k = randomTensor(rand, Make as typeof Float64Array, n);
        const v = randomTensor(rand, Make as typeof Float64Array, n);
        const got = await native.referenceForward({ problem, workload, scale, q, k, v });
        assert.equal(got.constructor, Make, 'the output has the input type');
        const err = relativeError(got, bruteForce(problem, workload, scale, q, k, v));
        assert.ok(err < tolerance, `${describeProblem(problem)} ${JSON.stringify(workload)}: relative error ${err}`);
      }
    });
  }

  it('default scale is head_dim^-0.5', async () => {
    const rand = rng(99);
    const problem: GnaProblem = { inputSize: [6, 5], windowSize: [3, 2], stride: [1, 2], dilation: [2, 1], causal: [false, true] };
    const workload = { batch: 1, heads: 2, headDim: 16 };
    const n = product(problem.inputSize) * 2 * 16;
    const [q, k, v] = [0, 1, 2].map(() => randomTensor(rand, Float64Array, n));
    const implicit = await native.referenceForward({ problem, workload, q, k, v });
    const explicit = await native.referenceForward({ problem, workload, scale: 0.25, q, k, v });
    assert.deepEqual(implicit, explicit);
    const other = await native.referenceForward({ problem, workload, scale: 0.5, q, k, v });
    assert.notDeepEqual(implicit, other, 'the scale changes the result');
  });

  it('a window as large as the layout is plain softmax attention over every token', async () => {
    const rand = rng(7);
    const problem: GnaProblem = { inputSize: [4, 3], windowSize: [4, 3], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
    const workload = { batch: 1, heads: 1, headDim: 5 };
    const n = 12 * 5;
    const [q, k, v] = [0, 1, 2].map(() => randomTensor(rand, Float64Array, n));
    const got = await native.referenceForward({ problem, workload, q, k, v });
    for (let t = 0; t < 12; t++) {
      const scores = Array.from({ length: 12 }, (_, j) => {
        let dot = 0;
        for (let c = 0; c < 5; c++) dot += q[t * 5 + c] * k[j * 5 + c];
        return dot / Math.sqrt(5);
      });
      const m = Math.max(...scores);
      const w = scores.map((s) => Math.exp(s - m));
      const sum = w.reduce((a, x) => a + x, 0);
      for (let c = 0; c < 5; c++) {
        const want = w.reduce((a, x, j) => a + x * v[j * 5 + c], 0) / sum;
        assert.ok(Math.abs(got[t * 5 + c] - want) < 1e-12, `token ${t} channel ${c}`);
      }
    }
  });
});
