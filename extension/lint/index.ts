// The GNA linter: NATTEN calls in Python source, checked and simulated with the core.
// Pure: no Node, no DOM, no `vscode`; hosts pass the tree-sitter grammar bytes in.
export * from './types';
export { createLinter, lintWith, resolveOptions, DEFAULT_FAMILY, DEFAULT_HEAD_DIM } from './linter';
export { RULES, ruleInfo } from './rules';
export { CoreNumbers } from './numbers';
export type { RuleInfo } from './rules';
export type { GrammarBytes } from '../python/treeSitter';
// The editor reads `.gna/trace.json` through this bundle, which carries zod already.
export { parseTraceText } from '../core/traceSchema';
