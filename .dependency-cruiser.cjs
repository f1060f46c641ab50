// Who may import what: ARCHITECTURE.md's "Parts and boundaries" table as rules that fail
// `npm test` (run by `npm run check:imports` in pretest). One rule per part lists what the part may
// import; anything else (another part, a Node built-in, `vscode`, an npm package) is a violation.
// Type-only imports count too: a type from the host in the core still ties the core to the host.
// test/unit/boundaries.test.ts runs these rules on a tree of deliberate violations.

const ZOD = '^node_modules/zod/';
const TOML = '^node_modules/smol-toml/';
const VSCODE = '^node_modules/@types/vscode/';
const TREE_SITTER = '^node_modules/web-tree-sitter/';
const TOOLKIT = '^node_modules/@vscode/webview-ui-toolkit/';
const part = (folder) => `^${folder}/`;
const CORE = part('extension/core');
const PYTHON = part('extension/python');
const LINT = part('extension/lint');
const NATIVE = part('extension/native');
const CLI = part('extension/cli');
const HOST = part('extension/host');
const PURE = part('extension/host/pure');
const MODEL = part('webview/model');
const PROTOCOL = part('webview/protocol');
const KIT = part('webview/kit');

/** A part (`from`) that may import only `allowed` paths, plus Node built-ins where `node` is set. */
function mayImportOnly(name, comment, from, allowed, { node = false } = {}) {
  const to = { pathNot: allowed, couldNotResolve: false };
  if (node) to.dependencyTypesNot = ['core'];
  return { name, comment, severity: 'error', from, to };
}

module.exports = {
  forbidden: [
    mayImportOnly('core-imports-only-core-and-zod',
      'The core runs in the host, the CLI and the webview: no other part, no Node, no vscode (smol-toml: pyproject.ts).',
      { path: CORE }, [CORE, ZOD, TOML]),
    mayImportOnly('scanner-and-lint-import-only-core-and-tree-sitter',
      'The Python scanner and the lint rules are pure like the core; callers hand them the grammar bytes.',
      { path: `${PYTHON}|${LINT}` }, [CORE, PYTHON, LINT, TREE_SITTER]),
    mayImportOnly('native-wrapper-imports-only-core-and-node',
      'The addon wrapper is shared by the CLI and the host: no vscode, no host code.',
      { path: NATIVE }, [NATIVE, CORE], { node: true }),
    mayImportOnly('cli-imports-no-host-or-webview',
      'The CLI is a thin shell over the core, lint and the native wrapper.',
      { path: CLI }, [CLI, CORE, PYTHON, LINT, NATIVE, ZOD], { node: true }),
    mayImportOnly('host-pure-imports-only-core-and-lint-types',
      'host/pure runs in plain Node tests and may run in the webview: no vscode, no Node built-ins.',
      { path: PURE }, [PURE, CORE, `^extension/lint/(types|callTable)\\.ts$`]),
    {
      name: 'host-pure-loads-no-zod',
      comment: 'core/schema and core/index pull zod into the activation bundle; host/pure is part of it.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^extension/core/(schema|index)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    mayImportOnly('host-imports-no-cli-or-page',
      'The extension host uses the pure parts, the view model and the protocol; the page is bundled apart.',
      { path: HOST, pathNot: PURE }, [HOST, CORE, PYTHON, LINT, NATIVE, MODEL, PROTOCOL, VSCODE], { node: true }),
    mayImportOnly('view-model-imports-only-core',
      'The view model runs in the page, the host and Node tests alike.',
      { path: MODEL }, [MODEL, CORE]),
    mayImportOnly('protocol-imports-only-core-and-zod',
      'The host ⇄ page protocol is shared by both ends.',
      { path: PROTOCOL }, [PROTOCOL, CORE, ZOD]),
    mayImportOnly('page-imports-only-core-model-protocol',
      'A webview page (preview, report) talks to the host through the protocol only: no host, no Node, no vscode.',
      { path: '^webview/(preview|report)/' }, ['^webview/$1/', CORE, MODEL, PROTOCOL, KIT, ZOD, TOOLKIT]),
    mayImportOnly('page-kit-imports-only-protocol-and-zod',
      'The page kit (the channel to the host, zod set up for the CSP) is what every page shares; it knows no page.',
      { path: KIT }, [KIT, PROTOCOL, ZOD]),
    {
      name: 'no-unresolvable-imports',
      comment: 'An import the checker cannot resolve would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'import', 'types', 'default'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs'],
    },
  },
};
