// Stride groups, dilation groups and coordinate-to-tile maps against definitions written out
// from GNA-SPEC (§2 "the group of s consecutive queries", §3 `x mod d`, §5 tiles per dilation
// group) and against the brute-force tile map the simulator tests use.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { axisNeighborhood, tileAxis } from '../../../extension/core';
import {
  axisDilationGroup,
  axisKvTileOf,
  axisQTileOf,
  axisStrideGroup,
  axisTileRun,
  AxisRun,
  runLength,
} from '../../../extension/core/groups';
import { axisArb as axisArbOf } from '../../support/arbitraries';
import { boxTileOf } from '../../support/bruteforce';

const SEED = 5150;

const axisArb = axisArbOf(48, 9);

function members(run: AxisRun): number[] {
  const out: number[] = [];
  for (let x = run.first; x <= run.last; x += run.step) out.push(x);
  return out;
}

describe('core: stride and dilation groups of a query', () => {
  it('the stride group is every query of the same dilation group in the same run of s group coordinates', () => {
    fc.assert(
      fc.property(axisArb, (axis) => {
        for (let x = 0; x < axis.n; x++) {
          const expected: number[] = [];
          for (let y = 0; y < axis.n; y++) {
            const sameGroup = y % axis.d === x % axis.d;
            const sameRun = Math.floor(Math.floor(y / axis.d) / axis.s) === Math.floor(Math.floor(x / axis.d) / axis.s);
            if (sameGroup && sameRun) expected.push(y);
          }
          const run = axisStrideGroup(x, axis);
          assert.deepEqual(members(run), expected, `x=${x}`);
          assert.equal(runLength(run), expected.length);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('non-causal, every member of a stride group attends exactly the same keys', () => {
    fc.assert(
      fc.property(axisArb, (axis) => {
        const a = { ...axis, causal: false };
        for (let x = 0; x < a.n; x++) {
          const own = axisNeighborhood(x, a);
          for (const y of members(axisStrideGroup(x, a))) assert.deepEqual(axisNeighborhood(y, a), own, `x=${x} y=${y}`);
        }
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  });

  it('the dilation group is every coordinate congruent to x modulo d, and holds all its keys', () => {
    fc.assert(
      fc.property(axisArb, (axis) => {
        for (let x = 0; x < axis.n; x++) {
          const run = axisDilationGroup(x, axis);
          const expected = [...Array(axis.n).keys()].filter((y) => y % axis.d === x % axis.d);
          assert.deepEqual(members(run), expected);
          const nb = axisNeighborhood(x, axis);
          assert.ok(nb.first >= run.first && nb.last <= run.last && (nb.first - run.first) % axis.d === 0);
        }
      }),
      { seed: SEED + 2, numRuns: 200 },
    );
  });
});

describe('core: coordinate to tile and tile to coordinates', () => {
  it('Q and KV tile indices agree with the brute-force tile map, and tile runs invert them', () => {
    fc.assert(
      fc.property(axisArb, (axis) => {
        const problem = { inputSize: [axis.n], windowSize: [axis.k], stride: [axis.s], dilation: [axis.d], causal: [axis.causal] };
        const t = tileAxis(axis, axis.tq, axis.tkv);
        const qOf = boxTileOf(problem, [axis.tq]);
        const kvOf = boxTileOf(problem, [axis.tkv]);
        for (let x = 0; x < axis.n; x++) {
          assert.equal(axisQTileOf(t, x), qOf(x), `q tile of ${x}`);
          assert.equal(axisKvTileOf(t, x), kvOf(x), `kv tile of ${x}`);
        }
        for (const side of ['q', 'kv'] as const) {
          const count = side === 'q' ? t.qTiles : t.kvTiles;
          const of = side === 'q' ? qOf : kvOf;
          let covered = 0;
          for (let tile = 0; tile < count; tile++) {
            const run = members(axisTileRun(t, axis.n, tile, side));
            assert.ok(run.length >= 1, `${side} tile ${tile} is not empty`);
            for (const x of run) assert.equal(of(x), tile);
            covered += run.length;
          }
          assert.equal(covered, axis.n, `${side} tiles cover the axis once`);
        }
      }),
      { seed: SEED + 3, numRuns: 300 },
    );
  });
});
