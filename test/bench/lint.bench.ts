// Lint benchmarks for issue 3: a 10,000-line model file linted in under 50 ms after warm-up.
// "cold numbers" clears the simulator memo before every run (every call simulated and its stride
// recommendation searched afresh); "editor re-lint" keeps it, as the editor does between
// keystrokes. The whole-file tree-sitter parse is there to show why the scanner parses on demand.
import { readFileSync } from 'fs';
import { join } from 'path';
import { CoreNumbers, lintWith } from '../../extension/lint';
import { createPythonParser, PythonParser } from '../../extension/python';
import { BenchCase } from './harness';
import { generateModelFile } from './lintFile';

const root = join(__dirname, '..', '..', '..');

async function parser(): Promise<PythonParser> {
  return createPythonParser({
    treeSitterWasm: readFileSync(join(root, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm')),
    pythonWasm: readFileSync(join(root, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm')),
  });
}

interface State {
  readonly parser: PythonParser;
  readonly text: string;
  readonly numbers: CoreNumbers;
}

function lintCase(name: string, every: number, cold: boolean, targetMs?: number): BenchCase {
  return {
    name,
    ...(targetMs !== undefined ? { targetMs } : {}),
    setup: async (): Promise<State> => {
      const { text, attentionLayers } = generateModelFile(10_000, every);
      const p = await parser();
      const numbers = new CoreNumbers();
      const report = lintWith(p, text, {}, numbers);
      // The generated file must really exercise the linter.
      if (report.calls.length < attentionLayers * 2) throw new Error(`expected ${attentionLayers * 2} calls, linted ${report.calls.length}`);
      return { parser: p, text, numbers };
    },
    run: (state) => {
      const s = state as State;
      if (cold) s.numbers.clear();
      return lintWith(s.parser, s.text, {}, s.numbers);
    },
  };
}

const sparse = generateModelFile(10_000, 10).attentionLayers * 2;
const dense = generateModelFile(10_000, 1).attentionLayers * 2;

export const benchmarks: BenchCase[] = [
  lintCase(`lint 10,000 lines, ${sparse} NATTEN call sites (1 attention layer in 10), cold numbers`, 10, true, 50),
  lintCase(`lint 10,000 lines, ${sparse} NATTEN call sites, editor re-lint (numbers remembered)`, 10, false, 50),
  lintCase(`lint 10,000 lines, ${dense} NATTEN call sites (every layer attention), cold numbers`, 1, true),
  lintCase(`lint 10,000 lines, ${dense} NATTEN call sites, editor re-lint`, 1, false),
  {
    name: 'tree-sitter parse of the whole 10,000-line file (reference, not used)',
    setup: async () => ({ parser: await parser(), text: generateModelFile(10_000, 10).text }),
    run: (state) => {
      const s = state as { parser: PythonParser; text: string };
      const tree = s.parser.parser.parse(s.text);
      const n = tree?.rootNode.childCount;
      tree?.delete();
      return n;
    },
  },
];
