// What the token grid draws for a selected query, cell by cell, against brute force: every
// display cell (a block of tokens when the layout is aggregated) must carry exactly the states,
// tile kind and Q-tile membership that some token of its block has by GNA-SPEC's definitions.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { flatten } from '../../../extension/core';
import {
  ATTENDED,
  codeKind,
  codeStates,
  DILATION_GROUP,
  EMPTY,
  FULL,
  IN_Q_TILE,
  PARTIAL,
  QUERY,
  STRIDE_GROUP,
} from '../../../webview/model/layers';
import { buildPreview, clampSelection, coordinateOfCell, firstQueryOfQTile, GridView, moveQuery, pictureFor } from '../../../webview/model/preview';
import { bruteAttends, brutePairKinds, bruteSameDilationGroup, bruteSameStrideGroup } from '../../support/previewBrute';
import { Case, selectionArb } from './arbitraries';

const SEED = 424242;
const KIND = { empty: EMPTY, partial: PARTIAL, full: FULL } as const;

describe('view model: the token grid of a selected query', () => {
  it('every display cell holds exactly the states, kind and Q-tile membership of its block (all ranks, aggregated or not)', () => {
    fc.assert(
      fc.property(selectionArb(150), ({ case: c, query, slice, gridCells, mapCells }) => checkPicture(c, query, slice, gridCells, mapCells)),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('zoomed: every display cell of the part shown holds exactly the states of its block (all ranks)', () => {
    fc.assert(
      fc.property(
        selectionArb(150).chain((sel) => {
          const dims = gridDims(sel.case.problem.inputSize);
          const span = (n: number) => fc.integer({ min: 1, max: n }).chain((count) => fc.record({ first: fc.integer({ min: 0, max: n - count }), count: fc.constant(count) }));
          return fc.record({ sel: fc.constant(sel), view: fc.record({ rows: span(dims[0]), cols: span(dims[1]) }) });
        }),
        ({ sel, view }) => checkPicture(sel.case, sel.query, sel.slice, sel.gridCells, sel.mapCells, view),
      ),
      { seed: SEED + 5, numRuns: 250 },
    );
  });

  it('aggregated blocks that mix partial and full KV tiles on both axes show the stronger kind', () => {
    // 32×32 with 2×2 tiles and a 17×17 window has full tiles inside the window and partial ones at
    // its edge; 4 display cells per side puts 8 coordinates, both kinds, in a block.
    const p = { inputSize: [32, 32], windowSize: [17, 17], stride: [1, 1], dilation: [1, 1], causal: [false, false] };
    checkPicture({ problem: p, tiles: { q: [2, 2], kv: [2, 2] } }, [16, 16], 0, 4, 16);
    checkPicture({ problem: { ...p, stride: [2, 3], dilation: [1, 2], windowSize: [17, 9] }, tiles: { q: [2, 4], kv: [4, 2] } }, [5, 20], 0, 3, 16);
    checkPicture(
      { problem: { inputSize: [6, 12, 12], windowSize: [3, 7, 7], stride: [1, 2, 1], dilation: [2, 1, 1], causal: [true, false, false] }, tiles: { q: [1, 2, 2], kv: [1, 2, 2] } },
      [3, 6, 6],
      3,
      3,
      16,
    );
  });

  it('3-D: the slice strip marks the frames the query attends along the first axis', () => {
    fc.assert(
      fc.property(selectionArb(150, [3]), ({ case: c, query, slice }) => {
        const p = c.problem;
        const pic = pictureFor(buildPreview(p, c.tiles), { query, slice });
        assert.ok(pic.sliceStrip);
        for (let t = 0; t < p.inputSize[0]; t++) {
          // Frame t holds an attended key iff the query attends some key whose first coordinate is t.
          const key = [t, query[1], query[2]];
          const attendsOnAxis0 = bruteAttends(
            { ...p, inputSize: [p.inputSize[0]], windowSize: [p.windowSize[0]], stride: [p.stride[0]], dilation: [p.dilation[0]], causal: [p.causal[0]] },
            query[0],
            key[0],
          );
          assert.equal((pic.sliceStrip.states[t] & ATTENDED) !== 0, attendsOnAxis0, `frame ${t}`);
          assert.equal((pic.sliceStrip.states[t] & QUERY) !== 0, t === query[0]);
        }
      }),
      { seed: SEED + 1, numRuns: 100 },
    );
  });

  it('a click on a display cell selects a token inside that cell', () => {
    fc.assert(
      fc.property(selectionArb(150, [2]), ({ case: c, query, gridCells }) => {
        const pic = pictureFor(buildPreview(c.problem, c.tiles, { gridCells, mapCells: 64 }), { query, slice: 0 });
        for (const layer of [pic.rows, pic.cols]) {
          for (let cell = 0; cell < layer.states.length; cell++) {
            const x = coordinateOfCell(layer, cell);
            assert.ok(x >= cell * layer.factor && x < Math.min(layer.n, (cell + 1) * layer.factor));
          }
        }
      }),
      { seed: SEED + 2, numRuns: 100 },
    );
  });

  it('a click on a pair-map row selects the first token of that Q tile', () => {
    fc.assert(
      fc.property(selectionArb(150), ({ case: c }) => {
        const model = buildPreview(c.problem, c.tiles);
        const brute = brutePairKinds(c.problem, c.tiles.q, c.tiles.kv);
        for (let a = 0; a < brute.qTiles; a++) {
          const query = firstQueryOfQTile(model, a);
          assert.equal(brute.qOf(flatten(query, c.problem.inputSize)), a);
          assert.equal(pictureFor(model, { query, slice: query[0] }).qTileIndex, a);
        }
      }),
      { seed: SEED + 3, numRuns: 100 },
    );
  });
});

describe('view model: layouts far larger than the display', () => {
  it('a 2^26-token sequence is drawn in at most 512 cells, with exact block states', () => {
    const n = 2 ** 26;
    const problem = { inputSize: [n], windowSize: [4096], stride: [1], dilation: [1], causal: [false] };
    const model = buildPreview(problem, { q: [128], kv: [128] }, { gridCells: 512, mapCells: 512 });
    // Half a million Q tiles: the pair map is 512×512 cells whose counts still add up to the simulator's.
    const map = model.pairMap!;
    assert.deepEqual([map.rows, map.cols], [512, 512]);
    const sum = (a: Uint32Array) => a.reduce((x, y) => x + y, 0);
    assert.deepEqual([sum(map.full), sum(map.partial)], [model.simulation.full, model.simulation.partial]);
    // The stride search goes by runs of equal behaviour now and stops at the lowest possible count:
    // 32 KV tiles (4096 / 128) at stride 256, block-sparse, well inside the work budget.
    assert.deepEqual([model.recommendation?.stride, model.recommendation?.axes[0].floor, model.recommendation?.cutOff], [[256], 32, undefined]);
    assert.match(model.numbers.find((r) => r.id === 'recommended-stride')?.value ?? '', /^256 → /);
    const pic = pictureFor(model, { query: [n / 2], slice: 0 });
    const factor = n / 512;
    assert.equal(pic.cols.states.length, 512);
    // Keys n/2 - 2048 … n/2 + 2047 straddle the boundary between cells 255 and 256.
    const attended = [...pic.cols.states.keys()].filter((c) => pic.cols.states[c] & ATTENDED);
    assert.deepEqual(attended, [Math.floor((n / 2 - 2048) / factor), Math.floor((n / 2 + 2047) / factor)]);
    assert.equal(pic.cols.states[256] & QUERY, QUERY);
    assert.ok(model.matrix && model.matrix.rows === 512, 'the attention matrix is drawn aggregated');
  });

  it('a 3-D layout with a long first axis keeps its slice strip at display resolution', () => {
    const problem = { inputSize: [100_000, 8, 8], windowSize: [33, 3, 3], stride: [1, 1, 1], dilation: [3, 1, 1], causal: [true, false, false] };
    const model = buildPreview(problem, { q: [4, 4, 4], kv: [4, 4, 4] }, { gridCells: 256, mapCells: 256 });
    const pic = pictureFor(model, { query: [50_000, 4, 4], slice: 49_999 });
    assert.ok(pic.sliceStrip && pic.sliceStrip.states.length <= 256);
    // Causal with dilation 3: frame 49,999 is in another dilation group than 50,000, so nothing is attended.
    assert.equal([...pic.codes].filter((c) => c & ATTENDED).length, 0);
    const same = pictureFor(model, { query: [50_000, 4, 4], slice: 49_997 });
    assert.equal([...same.codes].filter((c) => c & ATTENDED).length, 9, 'frame 49,997 holds a 3×3 block of keys');
  });
});

describe('view model: selection', () => {
  const problem = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], dilation: [1, 1, 1], causal: [false, false, false] };

  it('starts at the centre and is kept inside the layout when the layout changes', () => {
    assert.deepEqual(clampSelection(problem, undefined), { query: [15, 24, 40], slice: 15 });
    assert.deepEqual(clampSelection(problem, { query: [99, -3, 79.6], slice: 40 }), { query: [29, 0, 79], slice: 29 });
    // A selection of another rank starts over.
    assert.deepEqual(clampSelection(problem, { query: [3, 4], slice: 0 }), { query: [15, 24, 40], slice: 15 });
  });

  it('arrow-key moves stop at the borders, and the slice follows the first axis', () => {
    const s = clampSelection(problem, { query: [1, 1, 78], slice: 5 });
    assert.deepEqual(moveQuery(problem, s, 2, 8).query, [1, 1, 79]);
    assert.deepEqual(moveQuery(problem, s, 1, -8).query, [1, 0, 78]);
    assert.equal(moveQuery(problem, s, 1, 1).slice, 5);
    assert.deepEqual(moveQuery(problem, s, 0, 3), { query: [4, 1, 78], slice: 4 });
  });
});

/** Lengths of the grid's row and column axes (1 row for a sequence). */
function gridDims(inputSize: readonly number[]): [number, number] {
  const r = inputSize.length;
  return r === 1 ? [1, inputSize[0]] : [inputSize[r - 2], inputSize[r - 1]];
}

function checkPicture(c: Case, query: number[], slice: number, gridCells: number, mapCells: number, view?: GridView): void {
  const p = c.problem;
  const model = buildPreview(p, c.tiles, { gridCells, mapCells });
  const selection = { query, slice };
  const pic = pictureFor(model, selection, undefined, view);
  const dims = gridDims(p.inputSize);
  const rowSpan = view?.rows ?? { first: 0, count: dims[0] };
  const colSpan = view?.cols ?? { first: 0, count: dims[1] };
  assert.deepEqual([pic.cols.first, pic.cols.n], [colSpan.first, colSpan.count]);
  if (pic.rowAxis !== undefined) assert.deepEqual([pic.rows.first, pic.rows.n], [rowSpan.first, rowSpan.count]);
  const brute = brutePairKinds(p, c.tiles.q, c.tiles.kv);
  const qFlat = flatten(query, p.inputSize);
  const qTile = brute.qOf(qFlat);
  assert.equal(pic.qTileIndex, qTile, 'the Q tile of the query');
  const R = pic.rows.states.length;
  const C = pic.cols.states.length;
  assert.equal(pic.codes.length, R * C);
  for (let row = 0; row < R; row++) {
    for (let col = 0; col < C; col++) {
      let states = 0;
      let kind: number = EMPTY;
      let inQ = false;
      const block = (span: { first: number; count: number }, factor: number, cell: number) =>
        range(span.first + cell * factor, span.first + Math.min(span.count, (cell + 1) * factor));
      const rowCoords = pic.rowAxis === undefined ? [0] : block(rowSpan, pic.rows.factor, row);
      const colCoords = block(colSpan, pic.cols.factor, col);
      for (const y of rowCoords) {
        for (const x of colCoords) {
          const key = p.inputSize.length === 1 ? [x] : p.inputSize.length === 2 ? [y, x] : [slice, y, x];
          const kFlat = flatten(key, p.inputSize);
          if (bruteAttends(p, qFlat, kFlat)) states |= ATTENDED;
          if (bruteSameStrideGroup(p, query, key)) states |= STRIDE_GROUP;
          if (bruteSameDilationGroup(p, query, key)) states |= DILATION_GROUP;
          if (kFlat === qFlat) states |= QUERY;
          kind = Math.max(kind, KIND[brute.kind(qTile, brute.kvOf(kFlat))]);
          if (brute.qOf(kFlat) === qTile) inQ = true;
        }
      }
      const code = pic.codes[row * C + col];
      const where = `cell (${row}, ${col}) of ${R}×${C}`;
      assert.equal(codeStates(code), states, `${where}: states`);
      assert.equal(codeKind(code), kind, `${where}: kind`);
      assert.equal((code & IN_Q_TILE) !== 0, inQ, `${where}: in Q tile`);
    }
  }
}

function range(lo: number, hiExclusive: number): number[] {
  const out: number[] = [];
  for (let x = lo; x < hiExclusive; x++) out.push(x);
  return out;
}
