// File-pattern matching for settings keyed by glob (`gna.inputSize`). Pure, so it is tested in
// plain Node. Patterns follow the globs users already write in VS Code settings: `*`, `?`, `**`,
// `{a,b}`, `[abc]`/`[!abc]`, matched against the workspace-relative path with `/` separators.
// A pattern without a `/` matches the file name in any folder (as in .gitignore), because
// `video_*.py` is what people mean when they type it.

export interface Glob {
  readonly pattern: string;
  /** Literal (non-wildcard) characters: the more, the more specific the pattern. */
  readonly specificity: number;
  matches(relativePath: string): boolean;
}

export function compileGlob(pattern: string): Glob {
  const trimmed = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = trimmed.includes('/');
  const body = trimmed.replace(/^\//, '');
  const source = anchored ? body : `**/${body}`;
  const regex = new RegExp(`^${translate(source)}$`);
  return {
    pattern,
    specificity: body.replace(/\*\*|[*?]|\[[^\]]*\]|[{},]/g, '').length,
    matches: (relativePath) => regex.test(relativePath.replace(/\\/g, '/').replace(/^\.?\//, '')),
  };
}

function translate(glob: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const next = glob[i + 2];
        if (atSegmentStart && next === '/') {
          out += '(?:[^/]*/)*'; // `**/`: any number of folders, including none
          i += 2;
        } else if (atSegmentStart && next === undefined) {
          out += '.*'; // trailing `**`: everything below
          i += 1;
        } else {
          out += '[^/]*'; // `a**b` inside a segment is just a star
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, close);
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      out += `[${set.replace(/[\\\]]/g, '\\$&').replace(/\//g, '')}]`;
      i = close;
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += c.replace(/[.+^$()|\\}\]]/g, '\\$&');
    }
  }
  // An unclosed `{` would leave the group open: close it so the pattern still compiles.
  return out + ')'.repeat(braceDepth);
}
