// `gna`: the command-line shell around the core. Each subcommand lives in its own module and
// returns an exit code; nothing here prints a stack trace for bad input.

import { benchCommand } from './bench';
import { callsCommand } from './calls';
import { colorIO, colorWanted } from './color';
import { CliIO, Command, EXIT, processIO, UsageError } from './io';
import { lintCommand } from './lint';
import { safeIO } from './safeText';
import { simCommand } from './sim';
import { didYouMean } from './suggest';
import { toolVersion } from './version';
import { traceCommand } from './trace';

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  sim: { run: simCommand, summary: 'simulate a GNA config: tile pairs, speedup bounds, stride advice' },
  bench: { run: benchCommand, summary: "time the config on this machine's GPU: dense vs GNA, measured vs simulated" },
  lint: { run: lintCommand, summary: 'lint NATTEN configs in Python files: errors, slow configs, simulated speedups' },
  trace: { run: traceCommand, summary: 'run a Python command and record the layouts and configs NATTEN was called with' },
  calls: { run: callsCommand, summary: "list every NATTEN call site: resolved arguments, layout, version, simulated speedup" },
};

function usage(): string {
  const lines = ['usage: gna <command> [options]', '       gna --version', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', "Run 'gna <command> --help' for a command's options.");
  return lines.join('\n');
}

export async function main(argv: readonly string[], rawIO: CliIO = processIO): Promise<number> {
  // Colour only on the real streams (tests pass their own IO); escaping first, then colour.
  const colored = rawIO === processIO ? colorIO(rawIO, colorWanted(process.stdout.isTTY, process.env), colorWanted(process.stderr.isTTY, process.env)) : rawIO;
  const io = safeIO(colored);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(`gna ${toolVersion()}`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    const what = name.startsWith('-') ? 'option' : 'command';
    io.err(`gna: unknown ${what} '${name}'${didYouMean(name, [...Object.keys(COMMANDS), '--help', '--version'])}.\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`gna ${name}: invalid input:\n${e.problems.map((p) => `  - ${p}`).join('\n')}`);
      return EXIT.usage;
    }
    io.err(`gna ${name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gna: ${String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
