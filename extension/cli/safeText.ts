// Terminal-safe output: every line `gna` prints passes through here, so that control characters
// from linted sources, file names and config labels (ESC/OSC sequences that recolour, retitle or
// rewrite the terminal, a carriage return that overwrites a line, bidi overrides that reorder
// what is shown) are printed as visible `\uXXXX` escapes. The `\u` form is also a valid JSON
// escape, so JSON and SARIF output stay parseable and mean the same strings. Newlines and tabs
// are kept: they are the output's own layout.

import type { CliIO } from './io';

/** C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function safeIO(io: CliIO): CliIO {
  return { out: (text) => io.out(terminalSafe(text)), err: (text) => io.err(terminalSafe(text)) };
}
