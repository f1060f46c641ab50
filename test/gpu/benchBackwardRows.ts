// bench.js --backward (issue 21): our backward pass and training step on the side-by-side
// benchmark's problems, dense and every config, on the Hopper backward presets (backwardPresets.ts),
// each beside its simulation; peers.py --backward times SDPA's and FlexAttention's backward in the
// same run and native/bench/backward_table.py joins the two. A build without a backward kernel
// gives no rows and says why once (meta.backward), and the forward benchmark stands.

import { defaultBackwardTiles, defaultTiles, simulateTraining, TileShape } from '../../extension/core';
import { BACKWARD_PASSES, BackwardPass, simulatedPass } from '../../extension/core/benchBackward';
import { GnaNative, GnaNativeError } from '../../extension/native';
import { BenchProblem, problemOf } from './benchProblems';

export interface BackwardRow {
  readonly problem: string;
  readonly config: string;
  readonly pass: BackwardPass;
  readonly headDim: number;
  readonly tiles: TileShape;
  readonly kernel: string;
  readonly attentionMs: number;
  /** backward.simulated or training.simulated of the config on these tiles (1 for dense). */
  readonly simulated: number;
}

/** Rows, or why there are none (GNA_ERR_UNSUPPORTED: "no backward kernel in this build"). */
export async function timeBackwardRows(
  native: GnaNative,
  problems: readonly BenchProblem[],
  repeats: number,
  say: (line: string) => void,
): Promise<{ rows: BackwardRow[]; unavailable?: string }> {
  const rows: BackwardRow[] = [];
  try {
    for (const bp of problems) {
      const headDim = bp.headDim ?? 128;
      const rank = bp.layout.length;
      const preset = defaultBackwardTiles('hopper', rank, headDim);
      const forwardTiles = defaultTiles('hopper', rank, headDim);
      if (!preset || !forwardTiles) {
        say(`ours ${bp.name} backward: no Hopper backward preset for head dim ${headDim}`);
        continue;
      }
      const tiles = { q: [...preset.q], kv: [...preset.kv] };
      const workload = { batch: bp.batch ?? 1, heads: bp.heads, headDim };
      for (const pass of BACKWARD_PASSES) {
        for (const [config, dense] of [['dense', true] as const, ...bp.configs.map((c) => [c.label, false] as const)]) {
          const c = dense ? bp.configs[0] : bp.configs.find((x) => x.label === config)!;
          const problem = problemOf(bp, c);
          const r = await native.benchmark({ problem, workload, tiles, dtype: bp.dtype ?? 'bfloat16', dense, warmup: 3, repeats, pass });
          const simulated = dense ? 1 : simulatedPass(simulateTraining(problem, forwardTiles, tiles), pass);
          rows.push({ problem: bp.name, config, pass, headDim, tiles, kernel: r.kernel ?? '?', attentionMs: r.attentionMs, simulated });
          say(`ours ${bp.name} ${config.padEnd(18)} ${pass.padEnd(8)} ${r.attentionMs.toFixed(3)} ms [${r.kernel ?? '?'}], simulated ${simulated.toFixed(2)}×`);
        }
      }
    }
  } catch (e) {
    if (e instanceof GnaNativeError && e.code === 'GNA_ERR_UNSUPPORTED') {
      say(`ours backward: not timed: ${e.message}`);
      return { rows, unavailable: e.message };
    }
    throw e;
  }
  return { rows };
}
