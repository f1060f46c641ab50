// A small argument parser for the flags NATTEN's profiler users know: tuples may be written as
// separate words (`-i 30 48 80`), with commas (`-i 30,48,80`), with x (`-i 30x48x80`) or as
// `--input-size=30,48,80`. It collects every problem instead of stopping at the first.

import { didYouMean } from './suggest';

export type FlagKind = 'ints' | 'bools' | 'number' | 'string' | 'flag';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly help: string;
  /** For `string` flags: the accepted values. */
  readonly choices?: readonly string[];
}

export type FlagValue = number[] | boolean[] | number | string | boolean;

export interface Parsed {
  readonly values: Map<string, FlagValue>;
  readonly positionals: string[];
  readonly problems: string[];
}

const BOOL_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, t: true, f: false, yes: true, no: false };

/** Whether a word is a value rather than a flag (negative numbers are values). */
function isValueWord(word: string): boolean {
  return !word.startsWith('-') || /^-\d/.test(word);
}

function splitTuple(words: string[]): string[] {
  return words.flatMap((w) => w.split(/[,x×]/)).map((w) => w.trim().replace(/^[([]|[)\]]$/g, '')).filter((w) => w !== '');
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): Parsed {
  const values = new Map<string, FlagValue>();
  const positionals: string[] = [];
  const problems: string[] = [];
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.short) byName.set(`-${s.short}`, s);
  }
  let i = 0;
  while (i < argv.length) {
    const word = argv[i++];
    if (isValueWord(word) || word === '-') {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const key = eq >= 0 ? word.slice(0, eq) : word;
    const spec = byName.get(key);
    if (!spec) {
      problems.push(`unknown option ${key}${didYouMean(key, [...byName.keys()].filter((k) => k.startsWith('--')))}`);
      continue;
    }
    const words: string[] = [];
    if (eq >= 0) words.push(word.slice(eq + 1));
    else if (spec.kind === 'ints' || spec.kind === 'bools') while (i < argv.length && isValueWord(argv[i])) words.push(argv[i++]);
    else if (spec.kind !== 'flag' && i < argv.length) words.push(argv[i++]);
    const flag = `--${spec.name}`;
    switch (spec.kind) {
      case 'flag':
        values.set(spec.name, true);
        break;
      case 'ints': {
        const parts = splitTuple(words);
        const nums = parts.map(Number);
        if (parts.length === 0) problems.push(`${flag} needs one or more integers`);
        else if (nums.some((n) => !Number.isFinite(n))) problems.push(`${flag} takes integers, got ${words.join(' ')}`);
        else values.set(spec.name, nums);
        break;
      }
      case 'bools': {
        const parts = splitTuple(words);
        // A bare `-c` means causal on every axis.
        if (parts.length === 0) {
          values.set(spec.name, [true]);
          break;
        }
        const bools = parts.map((p) => BOOL_WORDS[p.toLowerCase()]);
        if (bools.some((b) => b === undefined)) problems.push(`${flag} takes true/false/1/0 per axis, got ${words.join(' ')}`);
        else values.set(spec.name, bools);
        break;
      }
      case 'number': {
        const n = Number(words[0]);
        if (words.length === 0 || !Number.isFinite(n)) problems.push(`${flag} needs a number${words.length ? `, got ${words[0]}` : ''}`);
        else values.set(spec.name, n);
        break;
      }
      case 'string': {
        if (words.length === 0) problems.push(`${flag} needs a value`);
        else if (spec.choices && !spec.choices.includes(words[0])) problems.push(`${flag} must be one of ${spec.choices.join(', ')}, got ${words[0]}`);
        else values.set(spec.name, words[0]);
        break;
      }
    }
  }
  return { values, positionals, problems };
}

export function helpText(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const lines = [`usage: gna ${command} [options]`, '', summary, '', 'options:'];
  for (const s of specs) {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}`;
    lines.push(`  ${names.padEnd(24)} ${s.help}`);
  }
  return lines.join('\n');
}

/** Words a command does not take (`gna sim 64` where `-i 64` was meant), each named clearly. */
export function unexpectedArguments(command: string, positionals: readonly string[]): string[] {
  return positionals.map(
    (p) => `unexpected argument '${p}': gna ${command} takes options only (they start with -, e.g. -i 64 64; see gna ${command} --help)`,
  );
}
