// The Python files of a workspace, for resolution across files: a parameter's value from the
// calls of its function in other modules, a config class defined elsewhere. Pure: the shells
// (CLI, editor) hand it the texts; models are built lazily, the first time a file is consulted,
// and a word search over the raw texts picks which files to consult.

import { SourceModel } from './source';
import type { PythonParser } from './treeSitter';
import { wordOccurrences } from './statements';

/** Work shared by every model of one resolution: how deep values may come through calls. */
export interface ResolutionBudget {
  /** Parameter hops in progress (a parameter whose value comes from its callers' parameters…). */
  depth: number;
}

/** Most nested parameter hops followed (factory → model → stage → layer → attention). */
export const MAX_PARAMETER_DEPTH = 6;

export class PythonWorkspace {
  private readonly models = new Map<string, SourceModel>();
  private readonly mentions = new Map<string, string[]>();
  readonly budget: ResolutionBudget = { depth: 0 };

  constructor(
    private readonly parser: PythonParser,
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  paths(): string[] {
    return [...this.files.keys()];
  }

  /** The model of a workspace file (built on first use). */
  model(path: string): SourceModel | undefined {
    let m = this.models.get(path);
    if (!m) {
      const text = this.files.get(path);
      if (text === undefined) return undefined;
      m = new SourceModel(text, this.parser, { workspace: this, path });
      this.models.set(path, m);
    }
    return m;
  }

  /** Files whose text has `word` as a whole word, other than `except`. */
  pathsMentioning(word: string, except?: string): string[] {
    let found = this.mentions.get(word);
    if (!found) {
      found = [];
      for (const [path, text] of this.files) {
        const at = text.indexOf(word);
        if (at >= 0 && wordOccurrences(text, word).length > 0) found.push(path);
      }
      this.mentions.set(word, found);
    }
    return except === undefined ? found : found.filter((p) => p !== except);
  }

  /** Files whose text matches `pattern` (cached by its source). */
  pathsMatching(pattern: RegExp): string[] {
    const key = `/${pattern.source}/`;
    let found = this.mentions.get(key);
    if (!found) {
      found = [...this.files].filter(([, text]) => pattern.test(text)).map(([path]) => path);
      this.mentions.set(key, found);
    }
    return found;
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }
}

/** `models/nat.py` → `nat.py`: how a call site in another file is labelled. */
export function shortName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}
