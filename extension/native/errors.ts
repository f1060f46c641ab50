// Errors of the native layer: every failure carries a `code` a caller can switch on, and the
// stack of the JavaScript call that started the work (a native rejection has no JS frames).

export type GnaErrorCode =
  /** The addon is not built (no .node found), or this build has no CUDA. */
  | 'GNA_ERR_NOT_BUILT'
  /** A .node was found but could not be loaded (wrong platform, missing library, stale build). */
  | 'GNA_ERR_LOAD'
  | 'GNA_ERR_NO_DEVICE'
  | 'GNA_ERR_CUDA'
  | 'GNA_ERR_INVALID'
  | 'GNA_ERR_OOM'
  | 'GNA_ERR_CANCELLED'
  /** This build has no kernel for the request (e.g. no backward kernel yet). */
  | 'GNA_ERR_UNSUPPORTED'
  | 'GNA_ERR_UNKNOWN';

const CODES: ReadonlySet<string> = new Set<GnaErrorCode>([
  'GNA_ERR_NOT_BUILT',
  'GNA_ERR_LOAD',
  'GNA_ERR_NO_DEVICE',
  'GNA_ERR_CUDA',
  'GNA_ERR_INVALID',
  'GNA_ERR_OOM',
  'GNA_ERR_CANCELLED',
  'GNA_ERR_UNSUPPORTED',
  'GNA_ERR_UNKNOWN',
]);

export class GnaNativeError extends Error {
  override readonly name = 'GnaNativeError';

  constructor(
    readonly code: GnaErrorCode,
    message: string,
    /** For GNA_ERR_INVALID: every problem found, one sentence each. */
    readonly issues: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The code of anything thrown by the addon (TypeError and RangeError are argument errors). */
export function codeOf(e: unknown): GnaErrorCode {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CODES.has(code)) return code as GnaErrorCode;
  if (e instanceof TypeError || e instanceof RangeError) return 'GNA_ERR_INVALID';
  return 'GNA_ERR_UNKNOWN';
}

/**
 * A call site captured before any await: `new Error()` in the public function. `rethrow` puts
 * its frames under the native error's message so the stack shows who asked.
 */
export function callSite(): Error {
  return new Error('call site');
}

export function rethrow(e: unknown, site: Error): GnaNativeError {
  const err =
    e instanceof GnaNativeError
      ? new GnaNativeError(e.code, e.message, e.issues, { cause: e.cause })
      : new GnaNativeError(codeOf(e), e instanceof Error ? e.message : String(e), [], { cause: e });
  const frames = (site.stack ?? '').split('\n').slice(1).join('\n');
  err.stack = `${err.name} [${err.code}]: ${err.message}\n${frames}`;
  return err;
}
