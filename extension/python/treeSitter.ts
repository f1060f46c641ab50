// Loading tree-sitter and its Python grammar from bytes, so the same code runs in Node (the CLI
// and the extension host read the files) and in a webview (which fetches them): no file system,
// no `locateFile`, just the emscripten `wasmBinary` option and `Language.load(bytes)`.
//
// web-tree-sitter parses JavaScript strings as UTF-16, so every index it reports (startIndex,
// endIndex, column) is already a UTF-16 offset into the parsed string, the unit the lint contract
// uses; `offsets.test.ts` pins that down with non-ASCII text.

import { Language, Parser } from 'web-tree-sitter';

export interface GrammarBytes {
  /** `tree-sitter.wasm` from web-tree-sitter. */
  readonly treeSitterWasm: Uint8Array;
  /** `tree-sitter-python.wasm` from tree-sitter-python. */
  readonly pythonWasm: Uint8Array;
}

/** One Python parser; parse() gives a tree the caller must delete(). */
export interface PythonParser {
  readonly parser: Parser;
  readonly language: Language;
}

// web-tree-sitter keeps one emscripten module per JavaScript realm: Parser.init() sets it up
// once, and calling it again would replace the module under live parsers. So the first init is
// shared (a realm-wide resource, not configuration).
let runtime: Promise<void> | undefined;

export async function createPythonParser(grammars: GrammarBytes): Promise<PythonParser> {
  // By tag, not instanceof: bytes may come from another realm (a worker, a vm context).
  const isBytes = (b: unknown) => Object.prototype.toString.call(b) === '[object Uint8Array]';
  if (!grammars || !isBytes(grammars.treeSitterWasm) || !isBytes(grammars.pythonWasm)) {
    throw new TypeError('createPythonParser needs the tree-sitter.wasm and tree-sitter-python.wasm bytes as Uint8Arrays.');
  }
  // `locateFile` keeps emscripten from building a URL from `import.meta.url`, which a bundled
  // script (the webview's IIFE) does not have; with `wasmBinary` given it is never fetched.
  // Copies in this realm: web-tree-sitter tests `instanceof Uint8Array`.
  const runtimeBytes = new Uint8Array(grammars.treeSitterWasm);
  const pythonBytes = new Uint8Array(grammars.pythonWasm);
  runtime ??= Parser.init({ wasmBinary: runtimeBytes, locateFile: (path: string) => path }).catch((e: unknown) => {
    runtime = undefined;
    throw e;
  });
  await runtime;
  const language = await Language.load(pythonBytes);
  const parser = new Parser();
  parser.setLanguage(language);
  return { parser, language };
}
