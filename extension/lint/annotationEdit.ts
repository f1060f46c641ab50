// The edit that adds a `# gna:` annotation for a call's missing values (`CallReport.missing`):
// a new comment line above the call's statement, with its indentation, or, when the call has an
// annotation already, that one extended (a key it holds but cannot use gets a new value in place;
// a call never gets a second annotation). Each value is a snippet placeholder named for what goes
// there (`input_size=(H, W)`, `kernel_size=K`), never an invented number: left as it is, the
// annotation says the name is not defined. Pure; the editor turns it into a snippet edit.

import { ANNOTATABLE } from './types';
import type { Annotatable, CallReport, SourceRange } from './types';

export interface AnnotationEdit {
  /** The text replaced (empty: an insertion). */
  readonly range: SourceRange;
  /** The new text as a VS Code snippet: each value a placeholder (`${1:H}`), tab after tab. */
  readonly snippet: string;
  /** The same text with each placeholder's name, for surfaces without snippets. */
  readonly text: string;
  /** `Add \`# gna: kernel_size=…, input_size=…\``, for a quick fix or a link. */
  readonly title: string;
}

/** Placeholder names per axis: what an annotated layout or window is called. */
const AXIS_NAMES: Readonly<Record<number, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['T', 'H', 'W'] };

type Piece = { readonly literal: string } | { readonly placeholder: string } | { readonly choice: readonly string[] };

/** The value pieces of one key: one placeholder per layout axis, one name for a broadcast scalar. */
function valuePieces(key: Annotatable, rank: number): Piece[] {
  switch (key) {
    case 'input_size': {
      const names = AXIS_NAMES[rank] ?? AXIS_NAMES[2];
      const pieces: Piece[] = [{ literal: '(' }];
      names.forEach((n, i) => pieces.push(...(i > 0 ? [{ literal: ', ' }] : []), { placeholder: n }));
      pieces.push({ literal: names.length === 1 ? ',)' : ')' });
      return pieces;
    }
    case 'kernel_size':
      return [{ placeholder: 'K' }];
    case 'stride':
      return [{ placeholder: 'S' }];
    case 'dilation':
      return [{ placeholder: 'D' }];
    case 'is_causal':
      return [{ choice: ['False', 'True'] }];
  }
}

/** `$`, `}` and `\` are snippet syntax; literal text keeps them with a backslash. */
function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function render(pieces: readonly Piece[]): { snippet: string; text: string } {
  let stop = 0;
  let snippet = '';
  let text = '';
  for (const p of pieces) {
    if ('literal' in p) {
      snippet += escapeSnippet(p.literal);
      text += p.literal;
    } else if ('placeholder' in p) {
      snippet += `\${${++stop}:${escapeSnippet(p.placeholder)}}`;
      text += p.placeholder;
    } else {
      snippet += `\${${++stop}|${p.choice.join(',')}|}`;
      text += p.choice[0];
    }
  }
  return { snippet, text };
}

/**
 * The edit giving `call` an annotation for `keys` (default: everything it misses), or undefined
 * when there is nothing to add or the report does not say where its statement is. A key given in
 * `values` (Python text, e.g. values the user entered in the preview) is written as it is instead
 * of a placeholder.
 */
export function annotationEdit(
  call: CallReport,
  text: string,
  keys: readonly Annotatable[] = (call.missing ?? []).map((m) => m.key),
  values: Readonly<Partial<Record<Annotatable, string>>> = {},
): AnnotationEdit | undefined {
  const site = call.annotationSite;
  const wanted = ANNOTATABLE.filter((k) => keys.includes(k));
  if (!site || wanted.length === 0) return undefined;
  const value = (key: Annotatable): Piece[] => (values[key] !== undefined ? [{ literal: values[key]! }] : valuePieces(key, call.rank));
  const entry = (key: Annotatable): Piece[] => [{ literal: `${key}=` }, ...value(key)];
  const shown = `# gna: ${wanted.map((k) => `${k}=…`).join(', ')}`;
  const existing = site.existing;
  if (!existing) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const pieces: Piece[] = [{ literal: `${site.indent}# gna: ` }];
    wanted.forEach((k, i) => pieces.push(...(i > 0 ? [{ literal: ', ' }] : []), ...entry(k)));
    pieces.push({ literal: eol });
    return { range: { start: site.lineStart, end: site.lineStart }, ...render(pieces), title: `Add ${shown} above the call` };
  }
  // Extend the annotation: keys it holds get their value replaced in place, the others go at its end.
  const comment = text.slice(existing.range.start, existing.range.end);
  const end = existing.range.start + comment.trimEnd().length;
  const replaced = wanted.filter((k) => existing.values[k] !== undefined).map((k) => ({ key: k, range: existing.values[k]! })).sort((a, b) => a.range.start - b.range.start);
  const appended = wanted.filter((k) => existing.values[k] === undefined);
  const start = replaced.length > 0 ? replaced[0].range.start : end;
  const pieces: Piece[] = [];
  let at = start;
  for (const r of replaced) {
    if (r.range.start > at) pieces.push({ literal: text.slice(at, r.range.start) });
    pieces.push(...value(r.key));
    at = r.range.end;
  }
  if (end > at) pieces.push({ literal: text.slice(at, end) });
  const bodyEmpty = /^#\s*gna\s*:\s*$/.test(comment.trimEnd());
  appended.forEach((k, i) => {
    const separator = i > 0 ? ', ' : bodyEmpty || /,\s*$/.test(comment) ? ' ' : ', ';
    pieces.push({ literal: separator }, ...entry(k));
  });
  return { range: { start, end }, ...render(pieces), title: `Complete the # gna: annotation: ${wanted.join(', ')}` };
}
