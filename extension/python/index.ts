// The Python side of the linter: statements, tree-sitter parsing on demand, imports, values,
// `# gna:` annotations and the NATTEN API catalog. Pure: no Node, no DOM, no `vscode`.
export * from './treeSitter';
export * from './statements';
export * from './values';
export * from './source';
export * from './imports';
export * from './annotations';
export * from './nattenApi';
export * from './scanner';
export * from './choices';
export * from './workspace';
