// The config the preview shows: a GNA problem plus tile shapes and the GPU family that offers
// them. The panel edits it as text ("18, 24, 24"), so this module parses tuple text and runs the
// core's one set of NATTEN checks; messages are the core's own wording.

import type { GpuFamily } from '../../extension/core/presets';
import { layoutTiles } from '../../extension/core/padding';
import { defaultTiles, GPU_FAMILIES, supportedHeadDims } from '../../extension/core/presets';
import type { GnaProblem, TileShape } from '../../extension/core/problem';
import type { GnaConfig, Hardware, PartialGnaConfig } from '../../extension/core/schema';
import { checkProblem, checkTiles, Parameter } from '../../extension/core/validate';

/** Every per-axis value spelled out (scalars already broadcast), unchecked: what host and panel exchange. */
export type PreviewConfig = GnaConfig;

export type { Hardware } from '../../extension/core/schema';

export type ConfigParameter = Parameter | 'q_tile_shape' | 'kv_tile_shape';

export interface ConfigIssue {
  readonly parameter: ConfigParameter;
  readonly message: string;
}

export type Resolved = { readonly problem: GnaProblem; readonly tiles: TileShape } | { readonly issues: readonly ConfigIssue[] };

/** NATTEN's checks on the problem, then the tile shapes (which need the rank). */
export function resolveConfig(config: PreviewConfig): Resolved {
  const check = checkProblem({
    inputSize: [...config.inputSize],
    windowSize: [...config.windowSize],
    stride: [...config.stride],
    dilation: [...config.dilation],
    causal: [...config.causal],
  });
  const issues: ConfigIssue[] = check.issues.map((i) => ({ parameter: i.parameter, message: i.message }));
  const rank = check.rank ?? config.inputSize.length;
  issues.push(...checkTiles([...config.qTile], [...config.kvTile], rank, 'multi'));
  if (check.problem && issues.length === 0) issues.push(...tileCountIssues(check.problem, config));
  if (!check.problem || issues.length > 0) return { issues };
  return { problem: check.problem, tiles: { q: [...config.qTile], kv: [...config.kvTile] } };
}

/**
 * The picture keeps per-tile arrays for each axis (the query's Q tile, the tile-pair map), so a
 * layout cut into millions of tiles along one axis is refused in words rather than allocated;
 * the simulator's numbers for it are in the hover and `gna sim` (work-budgeted, no such arrays).
 */
export const MAX_PREVIEW_TILES_PER_AXIS = 2 ** 21;

function tileCountIssues(problem: GnaProblem, config: PreviewConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  problem.inputSize.forEach((n, i) => {
    for (const [parameter, tile] of [
      ['q_tile_shape', config.qTile[i]],
      ['kv_tile_shape', config.kvTile[i]],
    ] as const) {
      const tiles = layoutTiles(n, problem.dilation[i], tile);
      if (tiles > MAX_PREVIEW_TILES_PER_AXIS) {
        issues.push({
          parameter,
          message: `${tiles.toLocaleString('en-US')} tiles along axis ${i} are more than the preview draws (${MAX_PREVIEW_TILES_PER_AXIS.toLocaleString('en-US')}); use larger tiles here, or gna sim for the numbers.`,
        });
      }
    }
  });
  return issues;
}

/** Tuple text: `18, 24, 24`, `18x24x24`, `18×24×24`, `(18, 24, 24)` or a scalar `7`. */
export function parseIntTuple(text: string): number[] | string {
  const body = text.trim().replace(/^[([]\s*/, '').replace(/\s*[)\]]$/, '');
  if (body === '') return 'Enter a number or a tuple such as 7 or 7, 9.';
  const parts = body.split(/\s*[,x×*]\s*|\s+/i).filter((p) => p !== '');
  const values: number[] = [];
  for (const part of parts) {
    if (!/^[+-]?\d+$/.test(part)) return `"${part}" is not an integer.`;
    values.push(Number(part));
  }
  if (values.length > 3) return `At most 3 axes, got ${values.length} values.`;
  return values;
}

/** A scalar broadcasts to every axis, as NATTEN does; a tuple is kept (checks report a bad length). */
export function broadcast<T>(values: readonly T[], rank: number): T[] {
  return values.length === 1 && rank > 1 ? new Array<T>(rank).fill(values[0]) : [...values];
}

/** `18, 24, 24`, or `7` when every axis holds the same value of a 1-entry tuple. */
export function tupleText(values: readonly number[]): string {
  return values.join(', ');
}

/**
 * The config with a new token layout: per-axis values follow the new rank (first axis repeated);
 * values a call does not give stay absent.
 */
export function withLayout(config: PreviewConfig, inputSize: readonly number[], hardware: Hardware): PreviewConfig;
export function withLayout(config: PartialGnaConfig, inputSize: readonly number[], hardware: Hardware): PartialGnaConfig;
export function withLayout(config: PartialGnaConfig, inputSize: readonly number[], hardware: Hardware): PartialGnaConfig {
  const rank = inputSize.length;
  if (rank === (config.inputSize?.length ?? config.qTile.length)) return { ...config, inputSize: [...inputSize] };
  const fit = (values: readonly (number | boolean)[]) => Array.from({ length: rank }, (_, i) => values[Math.min(i, values.length - 1)]);
  const tiles = tilesFor(hardware, rank);
  const fitted: Record<string, (number | boolean)[]> = {};
  for (const key of ['windowSize', 'stride', 'dilation', 'causal'] as const) {
    const values = config[key];
    if (values) fitted[key] = fit(values);
  }
  return { ...(fitted as Partial<PartialGnaConfig>), inputSize: [...inputSize], qTile: tiles.q, kvTile: tiles.kv };
}

/** The family's default tiles for the rank; 8 per axis when it has no preset for the head dim. */
export function tilesFor(hardware: Hardware, rank: number): { q: number[]; kv: number[] } {
  const preset = defaultTiles(hardware.family, rank, hardware.headDim);
  if (preset) return { q: [...preset.q], kv: [...preset.kv] };
  return { q: new Array(rank).fill(8), kv: new Array(rank).fill(8) };
}

/** What the panel shows before it follows any call: small enough to read, with stride and tiles. */
export function starterConfig(hardware: Hardware): PreviewConfig {
  const tiles = tilesFor(hardware, 2);
  return { inputSize: [32, 32], windowSize: [11, 11], stride: [2, 2], dilation: [1, 1], causal: [false, false], qTile: tiles.q, kvTile: tiles.kv };
}

export function isGpuFamily(value: string): value is GpuFamily {
  return (GPU_FAMILIES as readonly string[]).includes(value);
}

/** The hardware with a head dim the family supports (its nearest one) so presets exist. */
export function supportedHardware(family: GpuFamily, headDim: number): Hardware {
  const dims = supportedHeadDims(family);
  if (dims.includes(headDim)) return { family, headDim };
  const nearest = dims.reduce((best, d) => (Math.abs(d - headDim) < Math.abs(best - headDim) ? d : best), dims[0]);
  return { family, headDim: nearest };
}

export function sameConfig(a: PreviewConfig, b: PreviewConfig): boolean {
  const keys: (keyof PreviewConfig)[] = ['inputSize', 'windowSize', 'stride', 'dilation', 'causal', 'qTile', 'kvTile'];
  return keys.every((k) => a[k].length === b[k].length && a[k].every((v, i) => v === b[k][i]));
}
