// One work budget for every core computation whose cost grows with the layout, the window or the
// tile count (GNA-SPEC limits allow 2^26 tokens, windows up to the layout, tiles down to 1): the
// stride recommendations, single-dimensional tiling, the backward's per-KV-tile sweep and the
// preset search. Work is counted in units of one tile-range evaluation (a few arithmetic
// operations); a computation that would pass the limit stops and says so instead of running on.
// Lint, hover, CLI, preview and benchmark all use DEFAULT_WORK_BUDGET.

/** About a second of tile-range evaluations on a busy core (0.2-0.4 µs each, measured). */
export const DEFAULT_WORK_BUDGET = 2_000_000;

export class WorkBudget {
  private used = 0;

  constructor(readonly limit: number = DEFAULT_WORK_BUDGET) {}

  /** Units spent so far (tests assert bounds on it rather than on time). */
  get spent(): number {
    return this.used;
  }

  get left(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Whether `units` more fit; spends them when they do. */
  trySpend(units: number): boolean {
    if (this.used + units > this.limit) return false;
    this.used += units;
    return true;
  }

  /** Spends `units` (work already bounded by its caller), possibly past the limit. */
  spend(units: number): void {
    this.used += units;
  }
}

/** Thrown by computations that cannot give a partial answer, before they start the work. */
export class WorkAboveBudget extends Error {
  constructor(
    readonly what: string,
    readonly estimate: number,
    readonly limit: number,
  ) {
    super(`${what} skipped: work above budget (about ${estimate.toExponential(1)} steps, the budget is ${limit.toExponential(1)})`);
    this.name = 'WorkAboveBudget';
  }
}
