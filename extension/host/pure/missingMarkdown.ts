// The hover's "what is missing" section: exactly which values the linter needs and could not
// learn (`CallReport.missing`), why each, and a link that adds the `# gna:` annotation for them
// (`gna.addAnnotation`, a snippet with one placeholder per missing value); and which values came
// from the annotation. The noise policy keeps these out of the Problems panel
// (docs/lint-rules.md): this is where they are said.

import type { Annotatable, CallReport } from '../../lint/types';
import { ANNOTATABLE } from '../../lint/types';
import { commandUri } from './calls';

export const ANNOTATE_COMMAND = 'gna.addAnnotation';

/** What `gna.addAnnotation` receives from a hover link: the document, the call, the keys to add. */
export interface AnnotateTarget {
  readonly uri: string;
  readonly offset: number;
  readonly keys: readonly Annotatable[];
}

/** Checks a command argument from a link (plain JSON); undefined when it is not a target. */
export function parseAnnotateTarget(value: unknown): AnnotateTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.uri !== 'string' || !Number.isSafeInteger(v.offset) || !Array.isArray(v.keys)) return undefined;
  const keys = ANNOTATABLE.filter((k) => (v.keys as unknown[]).includes(k));
  return keys.length > 0 ? { uri: v.uri, offset: v.offset as number, keys } : undefined;
}

/** The section, or undefined when nothing is missing. */
export function missingMarkdown(call: CallReport, uri: string): string | undefined {
  const missing = call.missing ?? [];
  if (missing.length === 0) return undefined;
  const keys = missing.map((m) => m.key);
  const lines = missing.map((m) => `- \`${m.key}\`: ${escape(m.reason)}`);
  const target: AnnotateTarget = { uri, offset: call.range.start, keys };
  const annotation = `# gna: ${keys.map((k) => `${k}=…`).join(', ')}`;
  const verb = call.annotationSite?.existing ? 'Complete the annotation' : 'Add';
  return [
    `**Not simulated: ${missing.length === 1 ? 'one value is' : `${missing.length} values are`} missing**`,
    lines.join('\n'),
    `[${verb} \`${annotation}\`](${commandUri(ANNOTATE_COMMAND, target)})` + (keys.includes('input_size') ? ' · or set a default layout (`gna.inputSize`)' : ''),
  ].join('\n\n');
}

/** Which values came from the call's `# gna:` annotation (the code leaves them unknown); undefined when none. */
export function annotatedMarkdown(call: CallReport): string | undefined {
  const annotated = call.annotated ?? [];
  if (annotated.length === 0) return undefined;
  return `${annotated.map((p) => `\`${p}\``).join(', ')} from the \`# gna:\` annotation (the code does not say ${annotated.length === 1 ? 'it' : 'them'}).`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}
