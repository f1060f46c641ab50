// Colour on a terminal: severities and rule ids of lint lines, and the head of usage errors.
// Applied to the raw streams after terminal-safe escaping (safeText.ts), so the only escape
// sequences printed are these. Off when the stream is not a terminal or NO_COLOR is set (any
// non-empty value, https://no-color.org); FORCE_COLOR=1 turns it on for a pipe.
import type { CliIO } from './io';

const CODES = { red: 31, yellow: 33, blue: 34, bold: 1, dim: 2 } as const;
const paint = (text: string, code: keyof typeof CODES): string => `\u001b[${CODES[code]}m${text}\u001b[0m`;
const SEVERITY_COLOR = { error: 'red', warning: 'yellow', info: 'blue' } as const;

export function colorWanted(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY === true && env.TERM !== 'dumb';
}

/** One printed text, coloured line by line where a line has a shape this knows. */
export function colorize(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const lint = /^(.+?:\d+:\d+:) (error|warning|info) (gna\/[\w-]+):/.exec(line);
      if (lint) {
        const [whole, where, severity, rule] = lint;
        return `${paint(where, 'bold')} ${paint(severity, SEVERITY_COLOR[severity as keyof typeof SEVERITY_COLOR])} ${paint(rule, 'dim')}:${line.slice(whole.length)}`;
      }
      const usage = /^(gna(?: \w+)?: (?:invalid input|unknown command[^:]*|internal error)):?/.exec(line);
      if (usage) return `${paint(usage[1], 'red')}${line.slice(usage[1].length)}`;
      return line;
    })
    .join('\n');
}

export function colorIO(io: CliIO, out: boolean, err: boolean): CliIO {
  return { out: out ? (t) => io.out(colorize(t)) : io.out, err: err ? (t) => io.err(colorize(t)) : io.err };
}
