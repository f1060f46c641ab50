// Deleting one argument from a call, with the comma that separates it from its neighbour.

import type { Span } from '../../python/values';
import type { TextEdit } from '../types';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** The edit that removes the argument at `span` and one adjacent comma. */
export function removeArgument(text: string, span: Span): TextEdit {
  // Prefer eating the comma before it: `f(a, b=1)` → `f(a)`.
  let i = span.start;
  while (i > 0 && isSpace(text[i - 1])) i--;
  if (i > 0 && text[i - 1] === ',') return { range: { start: i - 1, end: span.end }, newText: '' };
  // First argument: eat the comma after it and the space that follows.
  let j = span.end;
  while (j < text.length && isSpace(text[j])) j++;
  if (text[j] === ',') {
    j++;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    return { range: { start: span.start, end: j }, newText: '' };
  }
  return { range: { start: span.start, end: span.end }, newText: '' };
}
