// What the GPU scripts (gpu-check.js, bench.js) share: the engine, with the environment switches
// of native/scripts/gpu-run.sh and native/bench mapped to its typed options, and the way a
// script's main() ends the process.

import { engineOptionsFromEnv, GnaNative } from '../../extension/native';

/** The engine with GNA_KERNEL, GNA_SM90_CTAS, GNA_SM90_PDL, … as default options (envOptions.ts). */
export function scriptEngine(): GnaNative {
  return new GnaNative(undefined, engineOptionsFromEnv(process.env));
}

/** Runs main: its number is the exit code; an unexpected failure is printed and exits 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error('UNEXPECTED', e);
      process.exitCode = 1;
    },
  );
}

/** The command line's flags: the word after `flag`, and whether a flag is there. */
export function cliFlags(argv: readonly string[] = process.argv.slice(2)): { value(flag: string): string | undefined; has(flag: string): boolean } {
  return {
    value: (flag) => {
      const i = argv.indexOf(flag);
      return i >= 0 ? argv[i + 1] : undefined;
    },
    has: (flag) => argv.includes(flag),
  };
}
