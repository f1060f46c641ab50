// The Hopper kernel's static schedule as the benchmark reads it: item w (rowsPerItem query rows of
// one Q tile of one head; items ordered head, Q tile row-major, chunk) runs on CTA w mod CTAs,
// one CTA per SM (native/src/gna_sm90_attention.cuh), and takes one step per KV tile of its Q
// tile's box. The busiest CTA's steps are what a launch's time follows.
import { axesOf, GnaProblem, tileAxis, TileShape } from '../../extension/core';

/** Steps (tile pairs) of the busiest CTA. */
export function criticalSteps(problem: GnaProblem, tiles: TileShape, heads: number, ctas: number, rowsPerItem = 128): number {
  const axes = axesOf(problem).map((a, i) => tileAxis(a, tiles.q[i], tiles.kv[i]));
  const chunks = tiles.q.reduce((x, y) => x * y, 1) / rowsPerItem;
  // Steps of every Q tile of one head, row-major over the Q tile grid.
  let perTile = [1];
  for (const t of axes) {
    const next: number[] = [];
    for (const before of perTile) for (let a = 0; a < t.qTiles; a++) next.push(before * (t.kvHi[a] - t.kvLo[a] + 1));
    perTile = next;
  }
  const items = heads * perTile.length * chunks;
  const grid = Math.min(items, ctas);
  const load = new Float64Array(grid);
  for (let w = 0; w < items; w++) load[w % grid] += perTile[Math.floor(w / chunks) % perTile.length];
  return load.reduce((a, b) => Math.max(a, b), 0);
}
