// The addon's float64 reference gradients (issue 21), the ground truth of the fused backward's GPU
// check, checked three independent ways on random small problems (every rank, odd and even
// windows, strides, dilation, causal, sizes that no tile divides):
//   1. central finite differences of L = Σ dO∘O through the reference *forward*;
//   2. a brute-force masked backward written here from the spec's mask (neighborhoodKeys) with
//      the matrix formulas of attention's gradient (dS = P∘(dP − rowsum(dP∘P))), which equals
//      dense attention's backward when the window covers the layout;
//   3. the log-sum-exp the fused backward reads, against the scores summed here.
import { strict as assert } from 'assert';
import { GnaProblem, neighborhoodKeys, product, unflatten, Workload } from '../../../extension/core';
import { Gradients, GnaNative } from '../../../extension/native';
import { describeProblem, int, pick, randomProblem, randomTensor, rng } from './random';

const native = new GnaNative();

interface Case {
  readonly problem: GnaProblem;
  readonly workload: Workload;
  readonly scale: number;
  readonly q: Float64Array;
  readonly k: Float64Array;
  readonly v: Float64Array;
  readonly dO: Float64Array;
}

function randomCase(rand: () => number, rank: number): Case {
  const limits = rank === 1 ? { maxWindow: 7, maxDilation: 3, maxSlack: 6 } : rank === 2 ? { maxWindow: 3, maxDilation: 2, maxSlack: 2 } : { maxWindow: 2, maxDilation: 2, maxSlack: 1 };
  const problem = randomProblem(rand, rank, limits);
  const workload = { batch: int(rand, 1, 2), heads: int(rand, 1, 2), headDim: pick(rand, [1, 2, 3, 5]) };
  const n = workload.batch * product(problem.inputSize) * workload.heads * workload.headDim;
  // A scale above 1 sharpens the softmax, so that small weights (and their gradients) are tested too.
  const scale = rand() < 0.5 ? workload.headDim ** -0.5 : 0.5 + 2 * rand();
  const [q, k, v, dO] = [0, 1, 2, 3].map(() => randomTensor(rand, Float64Array, n));
  return { problem, workload, scale, q, k, v, dO };
}

const label = (c: Case) => `${describeProblem(c.problem)} ${JSON.stringify(c.workload)} scale ${c.scale.toFixed(3)}`;

/** L = Σ dO∘O with O the reference forward's output. */
async function loss(c: Case, q: Float64Array, k: Float64Array, v: Float64Array): Promise<number> {
  const out = await native.referenceForward({ problem: c.problem, workload: c.workload, scale: c.scale, q, k, v });
  let l = 0;
  for (let i = 0; i < out.length; i++) l += c.dO[i] * out[i];
  return l;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const shifted = (t: Float64Array, dir: Float64Array, h: number) => t.map((x, i) => x + h * dir[i]);

// Central differences in float64: truncation error ~h²·|L'''| ≈ 1e-10, rounding ~ε·|L|/h ≈ 1e-10
// at h = 1e-5 for these O(1) inputs; 1e-6 relative (plus 1e-8 absolute) leaves two orders of margin
// and still catches a gradient missing one key's term (an O(1e-2) change at the least here).
const H = 1e-5;
const FD_RELATIVE = 1e-6;
const FD_ABSOLUTE = 1e-8;

function assertClose(got: number, want: number, what: string): void {
  assert.ok(Math.abs(got - want) <= FD_ABSOLUTE + FD_RELATIVE * Math.abs(want), `${what}: analytic ${got}, finite difference ${want}`);
}

/** The gradient of one query row's masked softmax attention, brute force over every (b, h, query). */
function bruteForceBackward(c: Case, keysOf: (token: number) => readonly number[]): Gradients<Float64Array> {
  const { problem, workload, scale, q, k, v, dO } = c;
  const tokens = product(problem.inputSize);
  const { batch, heads, headDim: D } = workload;
  const n = q.length;
  const r = { output: new Float64Array(n), lse: new Float64Array(n / D), dq: new Float64Array(n), dk: new Float64Array(n), dv: new Float64Array(n) };
  const at = (b: number, t: number, h: number) => ((b * tokens + t) * heads + h) * D;
  const row = (t: Float64Array, i: number) => t.subarray(i, i + D);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < tokens; t++) {
      const keys = keysOf(t);
      for (let h = 0; h < heads; h++) {
        const x = at(b, t, h);
        const scores = keys.map((key) => scale * dot(row(q, x), row(k, at(b, key, h))));
        const max = Math.max(...scores);
        const sum = scores.reduce((a, s) => a + Math.exp(s - max), 0);
        const p = scores.map((s) => Math.exp(s - max) / sum);
        r.lse[(b * tokens + t) * heads + h] = max + Math.log(sum);
        const dp = keys.map((key) => dot(row(dO, x), row(v, at(b, key, h))));
        const rowsum = p.reduce((a, pj, j) => a + pj * dp[j], 0);
        keys.forEach((key, j) => {
          const y = at(b, key, h);
          const ds = p[j] * (dp[j] - rowsum);
          for (let e = 0; e < D; e++) {
            r.output[x + e] += p[j] * v[y + e];
            r.dv[y + e] += p[j] * dO[x + e];
            r.dq[x + e] += scale * ds * k[y + e];
            r.dk[y + e] += scale * ds * q[x + e];
          }
        });
      }
    }
  }
  return r;
}

function maxRelativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  return err;
}

function assertGradientsMatch(got: Gradients<Float64Array>, want: Gradients<Float64Array>, what: string): void {
  for (const name of ['output', 'lse', 'dq', 'dk', 'dv'] as const) {
    assert.equal(got[name].length, want[name].length, `${what}: ${name} length`);
    const err = maxRelativeError(got[name], want[name]);
    assert.ok(err < 1e-12, `${what}: ${name} differs by ${err}`);
  }
}

describe('native float64 reference backward', () => {
  it('matches central finite differences along random directions on 300 random problems of every rank', async function () {
    this.timeout(120_000);
    const rand = rng(2101);
    for (let i = 0; i < 300; i++) {
      const c = randomCase(rand, 1 + (i % 3));
      const g = await native.referenceBackward(c);
      // One direction per tensor: the directional derivative is <grad, dir>.
      for (const name of ['q', 'k', 'v'] as const) {
        const dir = randomTensor(rand, Float64Array, c.q.length);
        const at = (h: number) => loss(c, name === 'q' ? shifted(c.q, dir, h) : c.q, name === 'k' ? shifted(c.k, dir, h) : c.k, name === 'v' ? shifted(c.v, dir, h) : c.v);
        const fd = ((await at(H)) - (await at(-H))) / (2 * H);
        assertClose(dot(g[`d${name}`], dir), fd, `${label(c)} d${name}`);
      }
    }
  });

  it('matches central finite differences coordinate by coordinate on 30 problems', async function () {
    this.timeout(120_000);
    const rand = rng(2102);
    for (let i = 0; i < 30; i++) {
      const c = randomCase(rand, 1 + (i % 3));
      const g = await native.referenceBackward(c);
      for (const name of ['q', 'k', 'v'] as const) {
        // Every coordinate of small tensors, a random dozen of larger ones.
        const coords = c.q.length <= 24 ? [...c.q.keys()] : Array.from({ length: 12 }, () => int(rand, 0, c.q.length - 1));
        for (const j of coords) {
          const dir = new Float64Array(c.q.length);
          dir[j] = 1;
          const at = (h: number) => loss(c, name === 'q' ? shifted(c.q, dir, h) : c.q, name === 'k' ? shifted(c.k, dir, h) : c.k, name === 'v' ? shifted(c.v, dir, h) : c.v);
          assertClose(g[`d${name}`][j], ((await at(H)) - (await at(-H))) / (2 * H), `${label(c)} d${name}[${j}]`);
        }
      }
    }
  });

  it("equals a brute-force masked backward (the spec's mask) on 300 random problems", async function () {
    this.timeout(60_000);
    const rand = rng(2103);
    for (let i = 0; i < 300; i++) {
      const c = randomCase(rand, 1 + (i % 3));
      const want = bruteForceBackward(c, (t) => neighborhoodKeys(c.problem, unflatten(t, c.problem.inputSize)));
      assertGradientsMatch(await native.referenceBackward(c), want, label(c));
    }
  });

  it("equals dense attention's backward when the window covers the layout", async () => {
    const rand = rng(2104);
    for (let i = 0; i < 60; i++) {
      const base = randomCase(rand, 1 + (i % 3));
      const inputSize = base.problem.inputSize;
      const rank = inputSize.length;
      const c = { ...base, problem: { inputSize, windowSize: [...inputSize], stride: Array(rank).fill(1), dilation: Array(rank).fill(1), causal: Array(rank).fill(false) } };
      const everyToken = [...Array(product(inputSize)).keys()];
      assertGradientsMatch(await native.referenceBackward(c), bruteForceBackward(c, () => everyToken), label(c));
    }
  });

  it("the output is the reference forward's, and the default scale is head_dim^-0.5", async () => {
    const rand = rng(2105);
    const c = randomCase(rand, 2);
    const { scale: _scale, ...implicit } = { ...c, workload: { ...c.workload, headDim: 4 } };
    const n = c.q.length / c.workload.headDim * 4;
    const inputs = { q: randomTensor(rand, Float64Array, n), k: randomTensor(rand, Float64Array, n), v: randomTensor(rand, Float64Array, n), dO: randomTensor(rand, Float64Array, n) };
    const g = await native.referenceBackward({ ...implicit, ...inputs });
    const explicit = await native.referenceBackward({ ...implicit, ...inputs, scale: 0.5 });
    assert.deepEqual(g, explicit);
    assert.deepEqual(g.output, await native.referenceForward({ ...implicit, ...inputs }));
  });

  it('refuses float32 tensors, a missing dO and wrong lengths with every issue at once', async () => {
    const problem = { inputSize: [6], windowSize: [3], stride: [1], dilation: [1], causal: [false] };
    const workload = { batch: 1, heads: 1, headDim: 2 };
    const t = () => new Float64Array(12);
    const e = await native.referenceBackward({ problem, workload, q: new Float32Array(12) as unknown as Float64Array, k: t(), v: new Float64Array(5), dO: undefined as unknown as Float64Array }).then(
      () => assert.fail('expected a rejection'),
      (err: { code: string; issues: string[] }) => err,
    );
    assert.equal(e.code, 'GNA_ERR_INVALID');
    assert.ok(e.issues.some((s) => /^v has 5 elements/.test(s)), e.issues.join('; '));
    assert.ok(e.issues.includes('q must be a Float64Array.'), e.issues.join('; '));
    assert.ok(e.issues.includes('dO must be a Float64Array.'), e.issues.join('; '));
  });
});

describe('native fused backward without a GPU', () => {
  const problem = { inputSize: [8, 8], windowSize: [3, 3], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
  const workload = { batch: 1, heads: 1, headDim: 32 };
  const n = 64 * 32;
  // The CPU-only build has no CUDA at all (GNA_ERR_NOT_BUILT); a CUDA build has the portable
  // backward kernel and, on this machine without a GPU, no device (GNA_ERR_NO_DEVICE).
  const expectedCode = () => native.deviceInfo().code;
  const f = (length = n) => new Float32Array(length).fill(0.5);

  it('cudaBackward() rejects with a clear reason, never a crash', async () => {
    const e = await native.cudaBackward({ problem, workload, dtype: 'bfloat16', q: f(), k: f(), v: f(), dO: f() }).then(
      () => assert.fail('expected a rejection'),
      (err: Error & { code: string }) => err,
    );
    assert.equal(e.code, expectedCode());
    assert.match(e.message, /no CUDA device/);
  });

  for (const pass of ['backward', 'training'] as const) {
    it(`benchmark({pass: '${pass}'}) rejects with a clear reason`, async () => {
      const e = await native.benchmark({ problem, workload, pass, repeats: 1, warmup: 0 }).then(
        () => assert.fail('expected a rejection'),
        (err: Error & { code: string }) => err,
      );
      assert.equal(e.code, expectedCode());
      assert.match(e.message, /no CUDA device/);
    });
  }

  // Requests the CUDA build has no backward kernel for are refused before any device is touched.
  const unsupported = [
    { what: 'head dim 256', workload: { ...workload, headDim: 256 }, options: {}, why: /head dims 32, 64 and 128, got 256/ },
    { what: "head dim 256 with kernel 'hopper'", workload: { ...workload, headDim: 256 }, options: { kernel: 'hopper' as const }, why: /head dims 32, 64 and 128, got 256/ },
  ];
  for (const u of unsupported) {
    it(`cudaBackward() and benchmark({pass}) refuse ${u.what} (GNA_ERR_UNSUPPORTED in a CUDA build)`, async () => {
      const size = 64 * u.workload.headDim;
      const calls = [
        native.cudaBackward({ problem, workload: u.workload, dtype: 'float16', options: u.options, q: f(size), k: f(size), v: f(size), dO: f(size) }),
        native.benchmark({ problem, workload: u.workload, pass: 'backward', options: u.options, repeats: 1, warmup: 0 }),
      ];
      for (const call of calls) {
        const e = await (call as Promise<unknown>).then(
          () => assert.fail('expected a rejection'),
          (err: Error & { code: string }) => err,
        );
        if (native.deviceInfo().builtWithCuda) {
          assert.equal(e.code, 'GNA_ERR_UNSUPPORTED');
          assert.match(e.message, u.why);
        } else {
          assert.equal(e.code, 'GNA_ERR_NOT_BUILT');
        }
      }
    });
  }

  // The Hopper backward (kernel 'hopper' or 'permuted', head dims 32, 64, 128) is a request the
  // CUDA build accepts: it is refused only where the device is looked at (here: there is none).
  for (const kernel of ['hopper', 'permuted'] as const) {
    it(`cudaBackward() takes kernel '${kernel}' to the device (no CUDA device here)`, async () => {
      const e = await native.cudaBackward({ problem, workload, dtype: 'float16', options: { kernel }, q: f(), k: f(), v: f(), dO: f() }).then(
        () => assert.fail('expected a rejection'),
        (err: Error & { code: string }) => err,
      );
      assert.equal(e.code, expectedCode());
      assert.match(e.message, /no CUDA device/);
    });
  }

  it('benchmark() refuses an unknown pass before native code runs', async () => {
    const e = await native.benchmark({ problem, workload, pass: 'sideways' as 'forward' }).then(
      () => assert.fail('expected a rejection'),
      (err: Error & { code: string; issues: string[] }) => err,
    );
    assert.equal(e.code, 'GNA_ERR_INVALID');
    assert.ok(e.issues.some((s) => /^pass must be/.test(s)), e.issues.join('; '));
  });

  it('cudaBackward() checks dO like q, k and v', async () => {
    const f = () => new Float32Array(n);
    const e = await native.cudaBackward({ problem, workload, dtype: 'float16', q: f(), k: f(), v: f(), dO: new Float32Array(3) }).then(
      () => assert.fail('expected a rejection'),
      (err: Error & { code: string; issues: string[] }) => err,
    );
    assert.equal(e.code, 'GNA_ERR_INVALID');
    assert.ok(e.issues.some((s) => /^dO has 3 elements/.test(s)), e.issues.join('; '));
  });
});
