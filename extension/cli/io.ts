// What a CLI command may touch: output streams and the exit code. Tests pass their own.

export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Exit codes shared by every subcommand. */
export const EXIT = {
  ok: 0,
  /** `gna lint`: errors were found. */
  findings: 1,
  /** Bad usage or invalid input: every problem is listed, no stack trace. */
  usage: 2,
  /** `gna bench`: no usable GPU (or no addon). */
  noGpu: 3,
  /** `gna bench`: the GPU run failed (out of memory, a CUDA error, cancelled). */
  runFailed: 4,
  /** `gna lint`: some files were not read, or not fully checked (time budget); the rest was linted. */
  incomplete: 5,
  /** A bug in gna itself (an exception, a `gna/internal-error` finding): never a clean exit. */
  internal: 70,
} as const;

/** A usage error: caught at the top level and printed without a stack trace. */
export class UsageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export type Command = (argv: readonly string[], io: CliIO) => Promise<number>;
