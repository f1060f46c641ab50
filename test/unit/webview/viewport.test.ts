// Zoom and pan of the token grid as geometry: any sequence of zooms, drags and keyboard moves
// keeps the view inside the layout, a zoom keeps the token under the pointer in place, a newly
// selected token is brought into view by the smallest pan, and a point of the canvas maps to a
// token of the display cell under it.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { buildPreview, coordinateOfCell, pictureFor } from '../../../webview/model/preview';
import {
  dragInTokens,
  fitTo,
  GridDims,
  isWhole,
  keepInView,
  maxZoom,
  MIN_SHOWN,
  panBy,
  tokenAt,
  Viewport,
  viewText,
  wholeView,
  zoomAbout,
} from '../../../webview/model/viewport';

const SEED = 5150;

const dimsArb = fc.oneof(
  fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 5000 })),
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 })),
) as fc.Arbitrary<GridDims>;

type Op =
  | { kind: 'zoom'; factor: number; at: [number, number] }
  | { kind: 'pan'; rows: number; cols: number }
  | { kind: 'keep'; row: number; col: number }
  | { kind: 'reset' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('zoom' as const), factor: fc.constantFrom(0.5, 0.8, 1.25, 2, 3), at: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })) }),
  fc.record({ kind: fc.constant('pan' as const), rows: fc.integer({ min: -400, max: 400 }), cols: fc.integer({ min: -400, max: 400 }) }),
  fc.record({ kind: fc.constant('keep' as const), row: fc.double({ min: 0, max: 1, noNaN: true }), col: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('reset' as const) }),
);

function apply(v: Viewport, dims: GridDims, op: Op): Viewport {
  const scale = (t: number, n: number) => Math.min(n - 1, Math.floor(t * n));
  switch (op.kind) {
    case 'zoom':
      return zoomAbout(v, dims, op.factor, [op.at[0] * dims[0], op.at[1] * dims[1]]);
    case 'pan':
      return panBy(v, dims, op.rows, op.cols);
    case 'keep':
      return keepInView(v, dims, scale(op.row, dims[0]), scale(op.col, dims[1]));
    case 'reset':
      return wholeView(dims);
  }
}

function assertInside(v: Viewport, dims: GridDims): void {
  assert.ok(v.zoom >= 1 && v.zoom <= maxZoom(dims), `zoom ${v.zoom}`);
  for (const [span, n] of [[v.rows, dims[0]], [v.cols, dims[1]]] as const) {
    assert.ok(Number.isInteger(span.first) && Number.isInteger(span.count));
    assert.ok(span.first >= 0 && span.first + span.count <= n, `${span.first}+${span.count} of ${n}`);
    assert.ok(span.count >= Math.min(n, MIN_SHOWN), `shows at least ${Math.min(n, MIN_SHOWN)} of ${n}`);
  }
}

describe('view model: zoom and pan of the token grid', () => {
  it('any sequence of zooms, pans and moves keeps the view inside the layout, at least MIN_SHOWN tokens per axis', () => {
    fc.assert(
      fc.property(dimsArb, fc.array(opArb, { maxLength: 25 }), (dims, ops) => {
        let v = wholeView(dims);
        for (const op of ops) {
          v = apply(v, dims, op);
          assertInside(v, dims);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('a zoom keeps the token under the pointer where it was, unless an edge of the layout stops it', () => {
    fc.assert(
      fc.property(dimsArb, fc.array(opArb, { maxLength: 6 }), opArb, (dims, ops, last) => {
        let v = wholeView(dims);
        for (const op of ops) v = apply(v, dims, op);
        if (last.kind !== 'zoom') return;
        const at: [number, number] = [v.rows.first + last.at[0] * v.rows.count, v.cols.first + last.at[1] * v.cols.count];
        const next = zoomAbout(v, dims, last.factor, at);
        for (const [before, after, x, n] of [[v.rows, next.rows, at[0], dims[0]], [v.cols, next.cols, at[1], dims[1]]] as const) {
          const wanted = x - ((x - before.first) / before.count) * after.count;
          const clamped = Math.min(Math.max(0, n - after.count), Math.max(0, wanted));
          assert.ok(Math.abs(after.first - clamped) <= 0.5 + 1e-9, `first ${after.first}, wanted ${clamped}`);
        }
      }),
      { seed: SEED + 1, numRuns: 400 },
    );
  });

  it('zooming in and back out by the same factor about one point returns to the whole layout', () => {
    fc.assert(
      fc.property(dimsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (dims, a, b) => {
        const at: [number, number] = [a * dims[0], b * dims[1]];
        const whole = wholeView(dims);
        const back = zoomAbout(zoomAbout(whole, dims, 2, at), dims, 0.5, at);
        assert.ok(isWhole(back, dims));
        assert.deepEqual(back, whole);
      }),
      { seed: SEED + 2 },
    );
  });

  it('a selected token is brought into view by the smallest pan, and a shown one moves nothing', () => {
    fc.assert(
      fc.property(dimsArb, fc.array(opArb, { maxLength: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (dims, ops, a, b) => {
        let v = wholeView(dims);
        for (const op of ops) v = apply(v, dims, op);
        const row = Math.min(dims[0] - 1, Math.floor(a * dims[0]));
        const col = Math.min(dims[1] - 1, Math.floor(b * dims[1]));
        const next = keepInView(v, dims, row, col);
        for (const [before, after, x] of [[v.rows, next.rows, row], [v.cols, next.cols, col]] as const) {
          assert.ok(x >= after.first && x < after.first + after.count, 'in view');
          assert.equal(after.count, before.count);
          const shown = x >= before.first && x < before.first + before.count;
          const minimal = shown ? 0 : x < before.first ? before.first - x : x - (before.first + before.count - 1);
          assert.equal(Math.abs(after.first - before.first), minimal);
        }
      }),
      { seed: SEED + 3, numRuns: 300 },
    );
  });

  it('a point of the canvas maps to a token inside the display cell drawn there', () => {
    const problem = { inputSize: [48, 200], windowSize: [13, 13], stride: [4, 4], dilation: [1, 2], causal: [false, false] };
    const model = buildPreview(problem, { q: [8, 8], kv: [8, 8] }, { gridCells: 32, mapCells: 64 });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 6 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }), (ops, px, py) => {
        const dims: GridDims = [48, 200];
        let v = wholeView(dims);
        for (const op of ops) v = apply(v, dims, op);
        const pic = pictureFor(model, { query: [24, 100], slice: 0 }, undefined, v);
        const [width, height] = [300, 240];
        const [x, y] = [(px / 1000) * width, (py / 1000) * height];
        const [row, col] = tokenAt(v, width, height, x, y, [pic.rows.factor, pic.cols.factor]);
        const cellCol = Math.floor(x / (width / pic.cols.states.length));
        const cellRow = Math.floor(y / (height / pic.rows.states.length));
        // The click selects the middle token of the cell; the point's own token is in that cell too.
        for (const [layer, cell, t] of [[pic.cols, cellCol, col], [pic.rows, cellRow, row]] as const) {
          const lo = layer.first + cell * layer.factor;
          const hi = layer.first + Math.min(layer.n, (cell + 1) * layer.factor);
          assert.ok(Math.floor(t) >= lo && Math.floor(t) < hi, `token ${t} in [${lo}, ${hi})`);
          const chosen = coordinateOfCell(layer, cell);
          assert.ok(chosen >= lo && chosen < hi);
        }
      }),
      { seed: SEED + 4, numRuns: 1000 },
    );
  });

  it('a drag across the whole canvas moves the view by what it shows; a new layout keeps the zoom, fitted', () => {
    const dims: GridDims = [100, 400];
    const v = zoomAbout(wholeView(dims), dims, 4, [50, 200]);
    assert.deepEqual([v.rows.count, v.cols.count], [25, 100]);
    assert.deepEqual(dragInTokens(v, 300, 200, -300, 0), [-0, 100]);
    const moved = panBy(v, dims, 0, 100);
    assert.equal(moved.cols.first, v.cols.first + 100);
    assert.equal(viewText(moved, dims), '4×: rows 38–62 of 100, columns 250–349 of 400');
    assert.equal(viewText(wholeView(dims), dims), 'whole layout');
    const smaller = fitTo(moved, [10, 20]);
    assertInside(smaller, [10, 20]);
    assert.deepEqual([smaller.rows.count, smaller.cols.count], [4, 5]);
    assert.equal(viewText(zoomAbout(wholeView([1, 4096]), [1, 4096], 2, [0, 1024]), [1, 4096]), '2×: tokens 512–2,559 of 4,096');
  });
});
