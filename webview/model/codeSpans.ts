// Reasons the host writes for the page (what a call lacks and why) mark code as markdown does,
// with backticks: `# gna: input_size=(…)`. The page draws those spans as code, never the backticks.

export interface TextSpan {
  readonly text: string;
  readonly code: boolean;
}

/**
 * `text` cut into plain and code spans at each pair of backticks; an unpaired backtick stays
 * as it is, and empty spans are dropped.
 */
export function codeSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  const re = /`([^`]+)`/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) spans.push({ text: text.slice(at, m.index), code: false });
    spans.push({ text: m[1], code: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) spans.push({ text: text.slice(at), code: false });
  return spans;
}
