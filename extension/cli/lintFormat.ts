// Output of `gna lint`: compiler-style lines, a JSON array, or SARIF 2.1.0 for code-scanning
// uploads. Lines and columns are 1-based; columns count UTF-16 code units (what editors and
// SARIF's default `utf16CodeUnits` use); end columns are exclusive, as in SARIF.

import { RULES } from '../lint';
import { lineOf } from '../python/statements';
import type { Finding, Severity } from '../lint';

export interface FileFindings {
  /** The path as printed (relative to where the user pointed, forward slashes). */
  readonly file: string;
  readonly text: string;
  readonly findings: readonly Finding[];
}

export interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
}

/** Offsets of line starts; `\n`, `\r\n` and a lone `\r` all end a line (as in Python). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function position(starts: readonly number[], offset: number): { line: number; column: number } {
  const line = lineOf(starts, offset);
  return { line: line + 1, column: offset - starts[line] + 1 };
}

export function toJsonFindings(files: readonly FileFindings[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const f of files) {
    const starts = lineStarts(f.text);
    for (const finding of f.findings) {
      const s = position(starts, finding.range.start);
      const e = position(starts, finding.range.end);
      out.push({ file: f.file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: finding.severity, rule: finding.rule, message: finding.message });
    }
  }
  return out;
}

export function formatText(findings: readonly JsonFinding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`);
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

function uriOf(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** The SARIF results of one file (its text is needed only here, for line and column numbers). */
export function sarifResults(f: FileFindings): object[] {
  const results: object[] = [];
  const starts = lineStarts(f.text);
  const region = (range: { start: number; end: number }) => {
    const s = position(starts, range.start);
    const e = position(starts, range.end);
    return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  };
  const artifactLocation = { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' };
  const ruleIds = [...RULES.keys()];
  for (const finding of f.findings) {
    const result: Record<string, unknown> = {
      ruleId: finding.rule,
      ruleIndex: ruleIds.indexOf(finding.rule),
      level: SARIF_LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(finding.range) } }],
    };
    if (finding.fixes.length > 0) {
      result.fixes = finding.fixes.map((fix) => ({
        description: { text: fix.title },
        artifactChanges: [
          {
            artifactLocation,
            replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
          },
        ],
      }));
    }
    results.push(result);
  }
  return results;
}

/** The SARIF 2.1.0 log around the results of every file. */
export function sarifLog(results: readonly object[], toolVersion: string): object {
  const rules = [...RULES.values()].map((r) => ({
    id: r.id,
    name: r.id.replace(/^gna\//, '').replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.help },
    defaultConfiguration: { level: SARIF_LEVEL[r.severity], ...(r.defaultOff ? { enabled: false } : {}) },
    help: { text: r.help },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gna', fullName: 'GNA Studio lint', version: toolVersion, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
