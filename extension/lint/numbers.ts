// The core's numbers for the linter, remembered across lints. An editor re-lints a file on every
// keystroke while most of its calls stay the same, and the stride recommendation tries every
// stride up to the window (O(window × tiles): 150 ms for a 6400-token 1-D window), so results
// are kept per (problem, tiles) in a bounded least-recently-used table.

import {
  GnaProblem,
  GpuFamily,
  RankedPreset,
  recommendStride,
  searchPresets,
  simulate,
  Simulation,
  simulateTraining,
  StrideRecommendation,
  TileShape,
  TrainingSimulation,
  WorkBudget,
} from '../core';

export class CoreNumbers {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly capacity = 1024) {}

  simulate(problem: GnaProblem, tiles: TileShape): Simulation {
    return this.remember(`sim|${key(problem, tiles)}`, () => simulate(problem, tiles, { budget: new WorkBudget() }));
  }

  /** Forward, backward (KV-parallel, on its own tiles) and the training step. */
  training(problem: GnaProblem, tiles: TileShape, backwardTiles: TileShape): TrainingSimulation {
    return this.remember(`train|${key(problem, tiles)}|${backwardTiles.q}/${backwardTiles.kv}`, () => simulateTraining(problem, tiles, backwardTiles));
  }

  recommend(problem: GnaProblem, tiles: TileShape): StrideRecommendation {
    return this.remember(`rec|${key(problem, tiles)}`, () => recommendStride(problem, tiles));
  }

  presets(problem: GnaProblem, family: GpuFamily, headDim: number): RankedPreset[] {
    return this.remember(`presets|${family}|${headDim}|${key(problem, { q: [], kv: [] })}`, () => searchPresets(problem, family, headDim));
  }

  /** Forgets everything (benchmarks measure cold numbers with it). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private remember<T>(k: string, compute: () => T): T {
    if (this.entries.has(k)) {
      const v = this.entries.get(k) as T;
      this.entries.delete(k);
      this.entries.set(k, v);
      return v;
    }
    const v = compute();
    this.entries.set(k, v);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return v;
  }
}

function key(p: GnaProblem, t: TileShape): string {
  return `${p.inputSize}/${p.windowSize}/${p.stride}/${p.dilation}/${p.causal}/${t.q}/${t.kv}`;
}
