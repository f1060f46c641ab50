// One tree-sitter Python parser for the scanner tests.
import { createPythonParser, PythonParser } from '../../../extension/python';
import { grammarBytes } from '../lint/helpers';

let shared: Promise<PythonParser> | undefined;
export function pythonParser(): Promise<PythonParser> {
  shared ??= createPythonParser(grammarBytes());
  return shared;
}
