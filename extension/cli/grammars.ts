// Finds the tree-sitter runtime and Python grammar (wasm) for Node hosts: next to the bundle
// (dist/grammars, copied by `npm run build`), in the source tree's dist when running compiled
// tests, else straight from node_modules. A failure lists every path tried.

import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import type { GrammarBytes } from '../lint';

function candidates(): [string, string][] {
  const pairs: [string, string][] = [];
  const dirs = [process.env.GNA_GRAMMARS_DIR, join(__dirname, 'grammars'), join(__dirname, '..', 'grammars'), join(__dirname, '..', '..', 'dist', 'grammars'), join(__dirname, '..', '..', '..', 'dist', 'grammars')];
  for (const d of dirs) if (d) pairs.push([join(d, 'tree-sitter.wasm'), join(d, 'tree-sitter-python.wasm')]);
  try {
    pairs.push([require.resolve('web-tree-sitter/tree-sitter.wasm'), require.resolve('tree-sitter-python/tree-sitter-python.wasm')]);
  } catch {
    // not installed next to us: the directories above are all there is
  }
  return pairs;
}

export function loadGrammars(): GrammarBytes {
  const tried: string[] = [];
  for (const [runtime, python] of candidates()) {
    if (existsSync(runtime) && existsSync(python)) {
      return { treeSitterWasm: readFileSync(runtime), pythonWasm: readFileSync(python) };
    }
    tried.push(runtime, python);
  }
  throw new Error(`cannot find the tree-sitter grammars; tried:\n${tried.map((p) => `    ${p}`).join('\n')}\n  Run 'npm run build' (it copies them to dist/grammars) or set GNA_GRAMMARS_DIR.`);
}
