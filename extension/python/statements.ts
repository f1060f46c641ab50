// Python's logical lines and block structure, found in one linear pass over the text.
//
// Why: tree-sitter (wasm) parses about 3 MB/s, so a whole 10,000-line file costs ~120 ms, while a
// linter only needs the few statements that mention NATTEN and the bindings they use. This pass
// does what Python's own tokenizer does before parsing (strings, comments, brackets, backslash
// continuations, indentation) and nothing more; every statement the scanner cares about is then
// parsed by tree-sitter on its own. The pass never fails: unterminated strings end at the line
// end (or the text end for triple quotes) and an unclosed bracket runs to the end of the text,
// exactly as far as Python would read it.

/** One logical line (a simple statement or a block header), by UTF-16 offsets. */
export interface Statement {
  readonly index: number;
  /** First character of the statement (after indentation). */
  readonly start: number;
  /** End of the last physical line of the statement (before its newline). */
  readonly end: number;
  /** Physical line (0-based) of `start`. */
  readonly line: number;
  /** Indentation width (tabs to multiples of 8, as Python does). */
  readonly indent: number;
  /** Index of the enclosing block header, or -1 at module level. */
  readonly parent: number;
  /** Ends with `:` outside brackets, so lines indented below it form its block. */
  readonly header: boolean;
  /** `class`/`def` headers open a new Python scope; `name` is what they bind. */
  readonly scopeKind?: 'class' | 'def';
  readonly name?: string;
  /** First word of the statement (`import`, `from`, `class`, `x`, …); empty for punctuation. */
  readonly firstWord: string;
}

export interface Comment {
  readonly start: number;
  readonly end: number;
  /** Physical line (0-based). */
  readonly line: number;
  /** Nothing but whitespace precedes it on its line. */
  readonly standalone: boolean;
}

export interface StatementIndex {
  readonly statements: readonly Statement[];
  readonly comments: readonly Comment[];
  /** Offset of the first character of each physical line. */
  readonly lineStarts: readonly number[];
}

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const FF = 12;
const HASH = 35;
const BACKSLASH = 92;
const COLON = 58;

/** ASCII characters with no meaning to the splitter that count as significant (not blanks). */
const PLAIN = new Uint8Array(128);
for (let c = 33; c < 127; c++) PLAIN[c] = 1;
for (const c of '"\'#\\()[]{}') PLAIN[c.charCodeAt(0)] = 0;

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c > 127;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

/** Splits Python source into logical lines with their block structure. */
export function indexStatements(text: string): StatementIndex {
  const statements: Statement[] = [];
  const comments: Comment[] = [];
  const lineStarts: number[] = [0];
  // Blocks currently open: [indent, statement index] of their headers.
  const openHeaders: { indent: number; index: number }[] = [];
  const n = text.length;
  let i = 0;
  let line = 0;

  const newline = (at: number): number => {
    // Returns the offset after the line break at `at` (\n, \r\n or \r) and records the line.
    const next = text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === NL ? at + 2 : at + 1;
    lineStarts.push(next);
    line++;
    return next;
  };

  while (i < n) {
    // At the start of a physical line: measure indentation.
    let indent = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === SPACE) indent++;
      else if (c === TAB) indent = indent - (indent % 8) + 8;
      else if (c === FF) indent = 0;
      else break;
      i++;
    }
    if (i >= n) break;
    const c0 = text.charCodeAt(i);
    if (c0 === NL || c0 === CR) {
      i = newline(i);
      continue;
    }
    if (c0 === HASH) {
      const end = lineEnd(text, i);
      comments.push({ start: i, end, line, standalone: true });
      i = end;
      continue;
    }
    if (c0 === BACKSLASH && (text.charCodeAt(i + 1) === NL || text.charCodeAt(i + 1) === CR)) {
      // A lone continuation: joins nothing visible; skip it like whitespace.
      i = newline(i + 1);
      continue;
    }

    // A statement starts here.
    const start = i;
    const startLine = line;
    let depth = 0;
    let lastSignificant = -1; // char code of the last token character outside comments
    let end = n;
    let firstWord = '';
    if (isIdentStart(c0)) {
      let j = i;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      firstWord = text.slice(i, j);
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      // Most characters are plain: skip them with one table lookup.
      if (c < 128 && PLAIN[c] === 1) {
        lastSignificant = c;
        i++;
        continue;
      }
      if (c === NL || c === CR) {
        if (depth === 0) {
          end = i;
          i = newline(i);
          break;
        }
        i = newline(i);
        continue;
      }
      if (c === HASH) {
        const e = lineEnd(text, i);
        comments.push({ start: i, end: e, line, standalone: false });
        i = e;
        continue;
      }
      if (c === BACKSLASH) {
        const d = text.charCodeAt(i + 1);
        if (d === NL || d === CR) {
          i = newline(i + 1);
          continue;
        }
        i++;
        continue;
      }
      if (c === 34 || c === 39) {
        i = skipString(text, i, (at) => newline(at));
        lastSignificant = c;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
      if (c !== SPACE && c !== TAB && c !== FF) lastSignificant = c;
      i++;
    }
    if (i >= n && end === n) end = trimEnd(text, n);

    const header = depth === 0 && lastSignificant === COLON;
    // Close blocks this line is not indented under.
    while (openHeaders.length > 0 && openHeaders[openHeaders.length - 1].indent >= indent) openHeaders.pop();
    const parent = openHeaders.length > 0 ? openHeaders[openHeaders.length - 1].index : -1;
    let scopeKind: 'class' | 'def' | undefined;
    let name: string | undefined;
    if (firstWord === 'class' || firstWord === 'def' || firstWord === 'async') {
      const m = /^(?:async\s+)?(class|def)\s+([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)/.exec(text.slice(start, Math.min(end, start + 200)));
      if (m) {
        scopeKind = m[1] as 'class' | 'def';
        name = m[2];
      }
    }
    const index = statements.length;
    statements.push({
      index,
      start,
      end,
      line: startLine,
      indent,
      parent,
      header,
      firstWord,
      ...(scopeKind ? { scopeKind, name } : {}),
    });
    if (header) openHeaders.push({ indent, index });
  }
  return { statements, comments, lineStarts };
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === NL || c === CR) break;
    i++;
  }
  return i;
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0) {
    const c = text.charCodeAt(e - 1);
    if (c === NL || c === CR) e--;
    else break;
  }
  return e;
}

/**
 * Skips a string literal starting at the quote `at` (any prefix letters were already read as
 * an identifier). Returns the offset after the closing quote, or where an unterminated string
 * stops: the line end for single quotes, the text end for triple quotes.
 */
function skipString(text: string, at: number, onNewline: (at: number) => number): number {
  const q = text.charCodeAt(at);
  const n = text.length;
  const triple = text.charCodeAt(at + 1) === q && text.charCodeAt(at + 2) === q;
  let i = at + (triple ? 3 : 1);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const d = text.charCodeAt(i + 1);
      if (d === NL || d === CR) {
        i = onNewline(i + 1);
        continue;
      }
      i += 2;
      continue;
    }
    if (c === NL || c === CR) {
      if (!triple) return i; // unterminated: Python stops here too
      i = onNewline(i);
      continue;
    }
    if (c === q) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) return i + 3;
    }
    i++;
  }
  return n;
}

/** Index of the statement containing `offset`, or -1 (between statements, in a comment line). */
export function statementAt(index: StatementIndex, offset: number): number {
  const s = index.statements;
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid].start > offset) hi = mid - 1;
    else if (s[mid].end < offset) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Physical line (0-based) of an offset. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The nearest enclosing `class`/`def` header of a statement, or -1 for module scope. */
export function scopeOf(index: StatementIndex, statement: number): number {
  let p = index.statements[statement].parent;
  while (p >= 0 && !index.statements[p].scopeKind) p = index.statements[p].parent;
  return p;
}

/** Whether statement `s` lies (at any depth) in the block of header `h`. */
export function isInside(index: StatementIndex, s: number, h: number): boolean {
  let p = index.statements[s].parent;
  while (p >= 0) {
    if (p === h) return true;
    p = index.statements[p].parent;
  }
  return false;
}

/** Whether the `length` characters at `at` are a whole word (not part of a longer identifier). */
export function isWordAt(text: string, at: number, length: number): boolean {
  const before = at > 0 ? text.charCodeAt(at - 1) : 32;
  const after = at + length < text.length ? text.charCodeAt(at + length) : 32;
  return !isIdentChar(before) && !isIdentChar(after);
}

/** Word occurrences of `word` (not part of a longer identifier), as offsets. */
export function wordOccurrences(text: string, word: string): number[] {
  const found: number[] = [];
  if (word.length === 0) return found;
  let at = text.indexOf(word);
  while (at >= 0) {
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    const after = at + word.length < text.length ? text.charCodeAt(at + word.length) : 32;
    if (!isIdentChar(before) && !isIdentChar(after)) found.push(at);
    at = text.indexOf(word, at + word.length);
  }
  return found;
}

export interface ArgumentScan {
  /** Offset of the matching `)`, when it is found before the limit. */
  readonly close?: number;
  /** Offsets of the commas that separate the call's own arguments. */
  readonly commas: readonly number[];
  /** Where the scan stopped without a `)`. */
  readonly stop: number;
}

/**
 * Scans the arguments of a call whose `(` is at `open`, skipping strings and comments, up to
 * `limit`. For half-typed code it also stops at the first line indented no deeper than
 * `indent` (the next statement being typed below an unclosed call).
 */
export function scanArguments(text: string, open: number, limit: number, indent: number): ArgumentScan {
  const commas: number[] = [];
  let depth = 0;
  let i = open;
  const end = Math.min(limit, text.length);
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      i = skipString(text, i, (at) => at + (text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === NL ? 2 : 1));
      continue;
    }
    if (c === HASH) {
      i = lineEnd(text, i);
      continue;
    }
    if (c === NL || c === CR) {
      let j = i + 1;
      let width = 0;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d === SPACE) width++;
        else if (d === TAB) width = width - (width % 8) + 8;
        else break;
        j++;
      }
      const next = text.charCodeAt(j);
      const blank = j >= end || next === NL || next === CR || next === HASH;
      if (!blank && width <= indent && i > open) return { commas, stop: i };
      i++;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      depth--;
      if (depth === 0) return { close: i, commas, stop: i + 1 };
    } else if (c === 44 && depth === 1) commas.push(i);
    i++;
  }
  return { commas, stop: end };
}
