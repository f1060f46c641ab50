// The benchmark's engine: the native wrapper from the lazily loaded benchmark runtime, or a
// test's scripted stand-in, and what it says about this machine. Nothing native runs in an
// untrusted workspace: the reason is given before any native code loads.

import type { BenchEngine as Engine } from '../core/bench';
import type { Ctx } from './context';
import { DeviceInfoLike, Unavailable, unavailableReason } from './pure/benchMessages';

/** The engine as the benchmark needs it: the native wrapper, or a test's scripted stand-in. */
export type BenchEngine = Engine<AbortSignal>;

export class EngineSlot {
  /** Set by the e2e tests (through the extension's API) to run the queue without a GPU. */
  override?: BenchEngine;

  constructor(private readonly ctx: Ctx) {}

  get engine(): BenchEngine {
    return this.override ?? (this.ctx.bundle('benchRuntime').gnaNative() as BenchEngine);
  }

  /** The engine's answer, or why there is none. */
  probe(): { info?: DeviceInfoLike; reason?: Unavailable } {
    if (!this.ctx.trusted) return { reason: unavailableReason(undefined, false) };
    try {
      const info = this.engine.deviceInfo();
      return { info, reason: unavailableReason(info, true) };
    } catch (e) {
      this.ctx.logError('querying the GPU', e);
      return { reason: unavailableReason(undefined, true, e instanceof Error ? e.message : String(e)) };
    }
  }
}
