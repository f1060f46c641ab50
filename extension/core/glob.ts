// File-pattern matching for settings keyed by glob (`gna.inputSize`). Pure, so it is tested in
// plain Node. Patterns follow the globs users already write in VS Code settings: `*`, `?`, `**`,
// `{a,b}`, `[abc]`/`[!abc]`/`[a-z]`, matched against the workspace-relative path with `/`
// separators. A pattern without a `/` matches the file name in any folder (as in .gitignore),
// because `video_*.py` is what people mean when they type it.
//
// Patterns come from workspace settings, which an untrusted folder may set, so matching must
// stay linear: a glob compiled to a backtracking regular expression (as minimatch and picomatch
// do) takes seconds for `*a*a*a*a*a*a*b` against an 80-character name. Here a pattern becomes a
// Thompson automaton whose state set is advanced one character at a time, O(path × pattern).

export interface Glob {
  readonly pattern: string;
  /** Literal (non-wildcard) characters: the more, the more specific the pattern. */
  readonly specificity: number;
  matches(relativePath: string): boolean;
}

/** A pattern that cannot be compiled (a reversed range `[z-a]`); the message says where. */
export class GlobError extends Error {}

/** Patterns longer than this are refused: no real path pattern comes close. */
export const MAX_GLOB_LENGTH = 1024;

// The automaton: `step` states consume one character, `split` states fork without consuming.
type Node = { kind: 'step'; accepts: (c: string) => boolean; next: number } | { kind: 'split'; next: number[] } | { kind: 'match' };

const notSlash = (c: string) => c !== '/';
const anyChar = () => true;

class Builder {
  readonly nodes: Node[] = [{ kind: 'match' }];

  step(accepts: (c: string) => boolean, next: number): number {
    this.nodes.push({ kind: 'step', accepts, next });
    return this.nodes.length - 1;
  }

  split(next: number[]): number {
    this.nodes.push({ kind: 'split', next });
    return this.nodes.length - 1;
  }

  /** `accepts*` then `next`: a split that loops through one step back to itself. */
  loop(accepts: (c: string) => boolean, next: number): number {
    const fork = this.split([]);
    (this.nodes[fork] as { next: number[] }).next.push(this.step(accepts, fork), next);
    return fork;
  }
}

/** Parses the pattern right to left into automaton states, each built knowing its successor. */
class Compiler {
  private i = 0;

  constructor(
    private readonly glob: string,
    private readonly b: Builder,
  ) {}

  /** Compiles a sequence up to the end or to a `,`/`}` closing the enclosing brace. */
  sequence(next: number, inBraces: boolean): number {
    // Collected left to right, then chained right to left so each piece knows what follows it.
    const pieces: ((next: number) => number)[] = [];
    while (this.i < this.glob.length) {
      const c = this.glob[this.i];
      if (inBraces && (c === ',' || c === '}')) break;
      pieces.push(this.piece());
    }
    let at = next;
    for (let k = pieces.length - 1; k >= 0; k--) at = pieces[k](at);
    return at;
  }

  private piece(): (next: number) => number {
    const g = this.glob;
    const c = g[this.i];
    const b = this.b;
    if (c === '*') {
      if (g[this.i + 1] === '*') {
        const atSegmentStart = this.i === 0 || g[this.i - 1] === '/';
        const after = g[this.i + 2];
        if (atSegmentStart && after === '/') {
          // `**/`: any number of folders, including none — any text ending in `/`, or nothing.
          this.i += 3;
          return (next) => {
            const slash = b.step((x) => x === '/', next);
            const folders = b.split([]);
            (b.nodes[folders] as { next: number[] }).next.push(b.step(anyChar, folders), slash);
            return b.split([next, folders]);
          };
        }
        this.i += 2;
        // A trailing `**` is everything below; `a**b` inside a segment is just a star.
        if (atSegmentStart && after === undefined) return (next) => b.loop(anyChar, next);
        return (next) => b.loop(notSlash, next);
      }
      this.i++;
      return (next) => b.loop(notSlash, next);
    }
    if (c === '?') {
      this.i++;
      return (next) => b.step(notSlash, next);
    }
    if (c === '[') {
      const set = this.characterClass();
      if (set) return (next) => b.step(set, next);
      this.i++;
      return (next) => b.step((x) => x === '[', next);
    }
    if (c === '{') {
      this.i++;
      const options: ((next: number) => number)[] = [];
      for (;;) {
        // Each option is compiled once its successor is known, so it is parsed now into a closure
        // that replays its own sub-compiler at that point.
        const start = this.i;
        this.skipOption();
        const end = this.i;
        options.push((next) => {
          const sub = new Compiler(this.glob.slice(0, end), b);
          sub.i = start;
          return sub.sequence(next, true);
        });
        if (g[this.i] === ',') {
          this.i++;
          continue;
        }
        if (g[this.i] === '}') this.i++;
        // An unclosed `{` ends at the pattern's end, so a half-typed pattern still compiles.
        break;
      }
      return (next) => b.split(options.map((option) => option(next)));
    }
    this.i++;
    return (next) => b.step((x) => x === c, next);
  }

  /** Moves past one brace option (nested braces included) to its `,` or `}` or the end. */
  private skipOption(): void {
    let depth = 0;
    while (this.i < this.glob.length) {
      const c = this.glob[this.i];
      if (c === '[') {
        if (this.characterClass()) continue;
      } else if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) return;
        depth--;
      } else if (c === ',' && depth === 0) return;
      this.i++;
    }
  }

  /** `[abc]`, `[!abc]`/`[^abc]`, `[a-z]`: a test that never accepts `/`; undefined when unclosed. */
  private characterClass(): ((c: string) => boolean) | undefined {
    const g = this.glob;
    let j = this.i + 1;
    const negated = g[j] === '!' || g[j] === '^';
    if (negated) j++;
    const first = j;
    // The first character is a member even if it is `]`.
    const close = g.indexOf(']', first + 1);
    if (close < 0) return undefined;
    const ranges: [string, string][] = [];
    for (let k = first; k < close; k++) {
      if (g[k + 1] === '-' && k + 2 < close) {
        if (g[k] > g[k + 2]) throw new GlobError(`the range ${g[k]}-${g[k + 2]} in ${g.slice(this.i, close + 1)} is reversed`);
        ranges.push([g[k], g[k + 2]]);
        k += 2;
      } else ranges.push([g[k], g[k]]);
    }
    this.i = close + 1;
    return (c) => c !== '/' && ranges.some(([lo, hi]) => c >= lo && c <= hi) !== negated;
  }
}

/** Runs the automaton over the path: one pass, each state visited at most once per character. */
function run(nodes: readonly Node[], start: number, path: string): boolean {
  let current: number[] = [];
  const mark = new Int32Array(nodes.length).fill(-1);
  const add = (list: number[], state: number, generation: number) => {
    const stack = [state];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (mark[s] === generation) continue;
      mark[s] = generation;
      const node = nodes[s];
      if (node.kind === 'split') for (let k = node.next.length - 1; k >= 0; k--) stack.push(node.next[k]);
      else list.push(s);
    }
  };
  add(current, start, 0);
  for (let i = 0; i < path.length && current.length > 0; i++) {
    const c = path[i];
    const next: number[] = [];
    for (const s of current) {
      const node = nodes[s];
      if (node.kind === 'step' && node.accepts(c)) add(next, node.next, i + 1);
    }
    current = next;
  }
  return current.some((s) => nodes[s].kind === 'match');
}

/** Compiles a pattern; throws GlobError for a pattern that cannot mean anything. */
export function compileGlob(pattern: string): Glob {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobError(`the pattern is ${pattern.length} characters long; at most ${MAX_GLOB_LENGTH}`);
  const trimmed = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = trimmed.includes('/');
  const body = trimmed.replace(/^\//, '');
  const source = anchored ? body : `**/${body}`;
  const builder = new Builder();
  const start = new Compiler(source, builder).sequence(0, false);
  const nodes = builder.nodes;
  return {
    pattern,
    specificity: body.replace(/\*\*|[*?]|\[[^\]]*\]|[{},]/g, '').length,
    matches: (relativePath) => run(nodes, start, relativePath.replace(/\\/g, '/').replace(/^\.?\//, '')),
  };
}
