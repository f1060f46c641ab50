// The view model: everything the preview draws, from a valid problem and tile shapes, with no
// DOM. Work that depends only on the config (simulation, recommendation, tile-pair map,
// attention matrix) is done once per config; the picture of a selected query is cheap
// (per-axis arrays plus one pass over the display cells), so hovering can redraw every frame.

import { axisQTileOf, axisTileRun } from '../../extension/core/groups';
import { Axis, axesOf, GnaProblem, TileShape } from '../../extension/core/problem';
import { simulateTraining, TrainingSimulation } from '../../extension/core/backward';
import { WorkAboveBudget, WorkBudget } from '../../extension/core/budget';
import { recommendStride, StrideRecommendation } from '../../extension/core/recommend';
import { simulate, Simulation, tileAxes } from '../../extension/core/simulator';
import type { AxisTiling } from '../../extension/core/tiling';
import { AxisLayer, axisLayer, composeGrid, IDENTITY_LAYER, pointLayer, Span } from './layers';
import { AttentionMatrix, buildAttentionMatrix, MAX_MATRIX_WORK, matrixWork } from './matrix';
import { NumberRow, queryRows, simulationRows } from './numbers';
import { buildPairMap, joinIndex, MAX_PAIR_MAP_WORK, PairMap, pairMapWork, splitIndex } from './pairMap';

export interface DisplayLimits {
  /** Most display cells along one side of the token grid (larger axes are aggregated). */
  readonly gridCells: number;
  /** Most display cells along one side of the tile-pair map and the attention matrix. */
  readonly mapCells: number;
  /** Most cells along a side of the tile-pair map alone, when fewer than mapCells (bigger squares read better). */
  readonly pairCells?: number;
}

export const DEFAULT_LIMITS: DisplayLimits = { gridCells: 512, mapCells: 512 };

export interface PreviewModel {
  readonly problem: GnaProblem;
  readonly tiles: TileShape;
  readonly axes: readonly Axis[];
  readonly tilings: readonly AxisTiling[];
  readonly simulation: Simulation;
  /** Forward, backward and training step, when the backward's tiles are known (the hardware's preset). */
  readonly training?: TrainingSimulation;
  /** The stride search, within the core's work budget (`cutOff` says where it stopped). */
  readonly recommendation?: StrideRecommendation;
  readonly numbers: readonly NumberRow[];
  readonly pairMap?: PairMap;
  /** Why the pair map is not drawn, when it is not. */
  readonly pairMapSkipped?: string;
  /** 1-D only. */
  readonly matrix?: AttentionMatrix;
  readonly matrixSkipped?: string;
  readonly limits: DisplayLimits;
}

function trainingWithin(problem: GnaProblem, tiles: TileShape, backwardTiles: TileShape): TrainingSimulation | undefined {
  try {
    return simulateTraining(problem, tiles, backwardTiles, { tiling: 'multi' });
  } catch (e) {
    if (e instanceof WorkAboveBudget) return undefined;
    throw e;
  }
}

export function buildPreview(
  problem: GnaProblem,
  tiles: TileShape,
  limits: DisplayLimits = DEFAULT_LIMITS,
  backwardTiles?: TileShape,
): PreviewModel {
  const axes = axesOf(problem);
  const tilings = tileAxes(problem, tiles);
  const simulation = simulate(problem, tiles, { tiling: 'multi' });
  // Both are bounded by the core's work budget: the backward sweep is skipped above it, the
  // stride search stops and says where (its row shows the cut-off).
  const training = backwardTiles ? trainingWithin(problem, tiles, backwardTiles) : undefined;
  const recommendation = recommendStride(problem, tiles, { budget: new WorkBudget() });
  const work = pairMapWork(tilings);
  const pairMapFits = work <= MAX_PAIR_MAP_WORK;
  let matrix: AttentionMatrix | undefined;
  let matrixSkipped: string | undefined;
  if (axes.length === 1) {
    if (matrixWork(axes[0], limits.mapCells) <= MAX_MATRIX_WORK) matrix = buildAttentionMatrix(axes[0], limits.mapCells, limits.mapCells);
    else matrixSkipped = 'The attention matrix is not drawn: too many dilation groups per row block.';
  }
  return {
    problem,
    tiles,
    axes,
    tilings,
    simulation,
    ...(training ? { training } : {}),
    ...(recommendation ? { recommendation } : {}),
    numbers: simulationRows(simulation, recommendation, problem, training),
    ...(pairMapFits
      ? { pairMap: buildPairMap(tilings, limits.pairCells ?? limits.mapCells, limits.pairCells ?? limits.mapCells) }
      : { pairMapSkipped: `The tile-pair map is not drawn: ${work.toLocaleString('en-US')} tile runs is too many at these tile shapes.` }),
    ...(matrix ? { matrix } : {}),
    ...(matrixSkipped ? { matrixSkipped } : {}),
    limits,
  };
}

/** The selected query (token coordinates) and, in 3-D, the slice of the first axis on show. */
export interface Selection {
  readonly query: readonly number[];
  readonly slice: number;
}

export function centreSelection(problem: GnaProblem): Selection {
  const query = problem.inputSize.map((n) => Math.floor(n / 2));
  return { query, slice: query[0] };
}

/** A selection kept inside the layout (the layout may have shrunk or changed rank). */
export function clampSelection(problem: GnaProblem, selection: Selection | undefined): Selection {
  if (!selection || selection.query.length !== problem.inputSize.length) return centreSelection(problem);
  const query = selection.query.map((x, i) => clampInt(x, 0, problem.inputSize[i] - 1));
  return { query, slice: clampInt(selection.slice, 0, problem.inputSize[0] - 1) };
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(x) ? Math.round(x) : lo));
}

/** Moves the query by `delta` along `axis`; in 3-D the slice follows the query's first coordinate. */
export function moveQuery(problem: GnaProblem, selection: Selection, axis: number, delta: number): Selection {
  const query = [...selection.query];
  query[axis] = clampInt(query[axis] + delta, 0, problem.inputSize[axis] - 1);
  return { query, slice: axis === 0 ? query[0] : selection.slice };
}

/** What the token grid shows for a selection. */
export interface GridPicture {
  /** Axis drawn down the rows (undefined in 1-D: one row) and across the columns. */
  readonly rowAxis?: number;
  readonly colAxis: number;
  readonly rows: AxisLayer;
  readonly cols: AxisLayer;
  /** Cell codes (see layers.ts), rows × cols at display resolution. */
  readonly codes: Uint8Array;
  /** 3-D: the first axis (aggregated like the others when long), for the slice strip. */
  readonly sliceStrip?: AxisLayer;
  /** Flat index of the selected query's Q tile (its row in the pair map). */
  readonly qTileIndex: number;
  readonly numbers: readonly NumberRow[];
}

/** The part of the grid's row and column axes a zoomed picture shows (rows unused in 1-D). */
export interface GridView {
  readonly rows: Span;
  readonly cols: Span;
}

export function pictureFor(model: PreviewModel, selection: Selection, reuse?: Uint8Array, view?: GridView): GridPicture {
  const { axes, tilings, limits } = model;
  const q = selection.query;
  const r = axes.length;
  const layer = (i: number, maxCells: number, span?: Span) => axisLayer(axes[i], tilings[i], q[i], maxCells, span);
  const qTile = tilings.map((t, i) => axisQTileOf(t, q[i]));
  const qTileIndex = joinIndex(qTile, tilings.map((t) => t.qTiles));
  const numbers = queryRows(model.problem, tilings, q);
  if (r === 1) {
    const cols = layer(0, limits.gridCells, view?.cols);
    const rows = IDENTITY_LAYER;
    return { colAxis: 0, rows, cols, codes: composeGrid(rows, cols, [], reuse), qTileIndex, numbers };
  }
  const rows = layer(r - 2, limits.gridCells, view?.rows);
  const cols = layer(r - 1, limits.gridCells, view?.cols);
  if (r === 2) return { rowAxis: 0, colAxis: 1, rows, cols, codes: composeGrid(rows, cols, [], reuse), qTileIndex, numbers };
  const slice = clampInt(selection.slice, 0, axes[0].n - 1);
  return {
    rowAxis: 1,
    colAxis: 2,
    rows,
    cols,
    codes: composeGrid(rows, cols, [pointLayer(axes[0], tilings[0], q[0], slice)], reuse),
    sliceStrip: layer(0, limits.gridCells),
    qTileIndex,
    numbers,
  };
}

/** The coordinate a display cell stands for (the middle of its block). */
export function coordinateOfCell(layer: AxisLayer, cell: number): number {
  return layer.first + Math.min(layer.n - 1, cell * layer.factor + Math.floor(layer.factor / 2));
}

/** The first token of a Q tile (flat index over the tile grid): where a click on the pair map goes. */
export function firstQueryOfQTile(model: PreviewModel, flatQTile: number): number[] {
  const coords = splitIndex(flatQTile, model.tilings.map((t) => t.qTiles));
  return coords.map((a, i) => axisTileRun(model.tilings[i], model.axes[i].n, a, 'q').first);
}
