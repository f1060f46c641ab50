// Builds the CallReport the linter would give for a config, from the real core (checks, presets,
// simulator, recommendation), so host tests exercise real numbers without depending on the scanner.
import { simulateTraining } from '../../../extension/core/backward';
import { defaultBackwardTiles } from '../../../extension/core/backwardPresets';
import { defaultTiles, GpuFamily } from '../../../extension/core/presets';
import { recommendStride } from '../../../extension/core/recommend';
import { simulate } from '../../../extension/core/simulator';
import { checkProblem, RawProblem } from '../../../extension/core/validate';
import { ANNOTATABLE } from '../../../extension/lint/types';
import type { CallReport } from '../../../extension/lint/types';

export function callReport(
  raw: RawProblem,
  options: {
    op?: string;
    start?: number;
    end?: number;
    family?: GpuFamily;
    headDim?: number;
    layoutSource?: CallReport['layoutSource'];
    variant?: string;
  } = {},
): CallReport {
  const check = checkProblem(raw);
  const rank = (check.rank ?? 1) as 1 | 2 | 3;
  const tiles = check.problem ? defaultTiles(options.family ?? 'hopper', rank, options.headDim ?? 128) : undefined;
  const backwardTiles = check.problem ? defaultBackwardTiles(options.family ?? 'hopper', rank, options.headDim ?? 128) : undefined;
  const start = options.start ?? 0;
  const end = options.end ?? start + 40;
  // What the linter lists as missing: the unknown values, and the layout when none is given.
  const unknown = new Set<string>([...check.unknown, ...(raw.inputSize === undefined ? ['input_size'] : [])]);
  const missing = ANNOTATABLE.filter((k) => unknown.has(k)).map((key) => ({ key, reason: key === 'input_size' ? 'NATTEN takes it from the input tensor at run time' : 'not known statically' }));
  return {
    index: 0,
    op: options.op ?? `na${rank}d`,
    rank,
    range: { start, end },
    calleeRange: { start, end: start + 4 },
    argumentRanges: {},
    argumentSlots: {},
    raw,
    layoutSource: options.layoutSource ?? 'annotation',
    check,
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(missing.length > 0 ? { missing } : {}),
    annotationSite: { lineStart: start, indent: '' },
    ...(check.problem && tiles
      ? {
          tiles: { q: tiles.q, kv: tiles.kv },
          simulation: simulate(check.problem, tiles),
          recommendation: recommendStride(check.problem, tiles),
          ...(backwardTiles
            ? { backwardTiles: { q: backwardTiles.q, kv: backwardTiles.kv }, training: simulateTraining(check.problem, tiles, backwardTiles) }
            : {}),
        }
      : {}),
  };
}
