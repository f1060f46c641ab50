// "GNA: Trace a Run…": the command line the user types, split into words as a POSIX shell would
// (quotes and backslashes; no variables or globs), and its Python put in the interpreter's place.

/** The words of a command line; a sentence when a quote is left open. */
export function splitCommandLine(line: string): string[] | string {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return `The command has an unclosed ${quote} quote.`;
  if (inWord) words.push(word);
  return words;
}

/**
 * The argv to trace: `python …`/`python3 …` run with `interpreter`; a script (`train.py …`) or a
 * module (`-m pytest …`) is given to `interpreter`; anything else (`pytest …`, `torchrun …`) runs
 * as typed, with the interpreter's folder first on PATH so that it finds the same environment.
 */
export function tracedArgv(words: readonly string[], interpreter: string): string[] {
  if (words.length === 0) return [];
  const [first, ...rest] = words;
  if (/^python(\d+(\.\d+)?)?(\.exe)?$/i.test(first.slice(first.replace(/\\/g, '/').lastIndexOf('/') + 1))) return [interpreter, ...rest];
  if (first.endsWith('.py') || first.startsWith('-')) return [interpreter, ...words];
  return [...words];
}

/** The summary `gna trace` ends with (`gna trace: 12 calls at …`), or its "nothing written" line. */
export function traceSummary(output: string): string | undefined {
  const lines = output.split(/\r?\n/).filter((l) => l.startsWith('gna trace: '));
  return lines.length > 0 ? lines[lines.length - 1].slice('gna trace: '.length) : undefined;
}
