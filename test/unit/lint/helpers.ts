// Shared by the lint tests: one linter per test run (the grammars load once), and helpers that
// find the text a finding points at.
import { readFileSync } from 'fs';
import { join } from 'path';
import { createLinter, Finding, Linter } from '../../../extension/lint';

const root = join(__dirname, '..', '..', '..', '..');

export function grammarBytes(): { treeSitterWasm: Uint8Array; pythonWasm: Uint8Array } {
  return {
    treeSitterWasm: readFileSync(join(root, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm')),
    pythonWasm: readFileSync(join(root, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm')),
  };
}

let shared: Promise<Linter> | undefined;
export function linter(): Promise<Linter> {
  shared ??= createLinter(grammarBytes());
  return shared;
}

export function repoPath(...parts: string[]): string {
  return join(root, ...parts);
}

/** The source text a finding (or a bare range) covers. */
export function covered(text: string, f: { range: { start: number; end: number } } | { start: number; end: number }): string {
  const r = 'range' in f ? f.range : f;
  return text.slice(r.start, r.end);
}

export function rules(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.rule);
}

export function byRule(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

/** Applies a fix's edits to the text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly { range: { start: number; end: number }; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}
