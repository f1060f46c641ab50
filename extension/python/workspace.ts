// The Python files of a workspace, for resolution across files: a parameter's value from the
// calls of its function in other modules, a config class defined elsewhere. Pure: the shells
// (CLI, editor) hand it the texts; models are built lazily, the first time a file is consulted,
// and a word search over the raw texts picks which files to consult.

import { SourceModel } from './source';
import type { PythonParser } from './treeSitter';
import { wordOccurrences } from './statements';
import { NO_DEPENDENCIES, WorkspaceDependencies } from './workspaceFiles';

/** Work shared by every model of one resolution: how deep values may come through calls. */
export interface ResolutionBudget {
  /** Parameter hops in progress (a parameter whose value comes from its callers' parameters…). */
  depth: number;
}

/** Most nested parameter hops followed (factory → model → stage → layer → attention). */
export const MAX_PARAMETER_DEPTH = 6;

export class PythonWorkspace {
  private readonly files: Map<string, string>;
  /** Models by path, least recently used first (`trim` drops from the front). */
  private readonly models = new Map<string, SourceModel>();
  /** Search results by word, or by `/pattern/`, with the pattern to test a changed file against. */
  private readonly mentions = new Map<string, string[]>();
  private readonly patterns = new Map<string, RegExp>();
  private recording?: { paths: Set<string>; words: Set<string>; patterns: Set<string> };
  readonly budget: ResolutionBudget = { depth: 0 };

  constructor(
    private readonly parser: PythonParser,
    files: ReadonlyMap<string, string>,
  ) {
    this.files = new Map(files);
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  get size(): number {
    return this.files.size;
  }

  /** The model of a workspace file (built on first use). */
  model(path: string): SourceModel | undefined {
    this.recording?.paths.add(path);
    let m = this.models.get(path);
    if (m) {
      this.models.delete(path);
    } else {
      const text = this.files.get(path);
      if (text === undefined) return undefined;
      m = new SourceModel(text, this.parser, { workspace: this, path });
    }
    this.models.set(path, m);
    return m;
  }

  /** Files whose text has `word` as a whole word, other than `except`. */
  pathsMentioning(word: string, except?: string): string[] {
    this.recording?.words.add(word);
    let found = this.mentions.get(word);
    if (!found) {
      found = [];
      for (const [path, text] of this.files) if (mentions(text, word)) found.push(path);
      this.mentions.set(word, found);
    }
    return except === undefined ? found : found.filter((p) => p !== except);
  }

  /** Files whose text matches `pattern` (cached by its source). */
  pathsMatching(pattern: RegExp): string[] {
    this.recording?.patterns.add(pattern.source);
    const key = `/${pattern.source}/`;
    let found = this.mentions.get(key);
    if (!found) {
      found = [...this.files].filter(([, text]) => pattern.test(text)).map(([path]) => path);
      this.mentions.set(key, found);
      this.patterns.set(key, pattern);
    }
    return found;
  }

  /**
   * A file's new text (the editor's index, kept up to date): its model is rebuilt on next use,
   * and only the searches whose answer it changes are forgotten.
   */
  set(path: string, text: string): void {
    if (this.files.get(path) === text) return;
    this.forgetModel(path);
    this.files.set(path, text);
    for (const [key, found] of this.mentions) {
      const pattern = this.patterns.get(key);
      const now = pattern ? pattern.test(text) : mentions(text, key);
      if (now !== found.includes(path)) this.forgetSearch(key);
    }
  }

  /** A file left the workspace. */
  delete(path: string): void {
    if (!this.files.delete(path)) return;
    this.forgetModel(path);
    for (const [key, found] of this.mentions) if (found.includes(path)) this.forgetSearch(key);
  }

  /** Records what is consulted until `stopRecording` (one lint's dependencies). */
  startRecording(): void {
    this.recording = { paths: new Set(), words: new Set(), patterns: new Set() };
  }

  stopRecording(): WorkspaceDependencies {
    const r = this.recording;
    this.recording = undefined;
    return r ? { paths: [...r.paths], words: [...r.words], patterns: [...r.patterns] } : NO_DEPENDENCIES;
  }

  /** Keeps the `keep` most recently used models (between lints: a long-lived workspace stays bounded). */
  trim(keep: number): void {
    for (const path of this.models.keys()) {
      if (this.models.size <= keep) break;
      this.forgetModel(path);
    }
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }

  private forgetModel(path: string): void {
    this.models.get(path)?.dispose();
    this.models.delete(path);
  }

  private forgetSearch(key: string): void {
    this.mentions.delete(key);
    this.patterns.delete(key);
  }
}

function mentions(text: string, word: string): boolean {
  return text.indexOf(word) >= 0 && wordOccurrences(text, word).length > 0;
}

/** `models/nat.py` → `nat.py`: how a call site in another file is labelled. */
export function shortName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}
