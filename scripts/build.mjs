// Bundles every entry point with esbuild and copies the runtime assets next to the bundles.
//   dist/extension.js  extension host (CommonJS, `vscode` external)
//   dist/linter.js     the lint package (with tree-sitter and zod) for host features that need its
//                      parsers on the host's thread (traces), required on first need
//   dist/lintWorker.js the linter (with tree-sitter) in a worker thread, started by the host on first
//                      need: neither compiling it nor any file's analysis runs on the host's thread
//   dist/previewProtocol.js  the preview's zod-validated message protocol, required by the host when
//                      a preview page first talks (zod would otherwise cost activation time)
//   dist/benchRuntime.js  the benchmark's native engine wrapper and zod schemas (history, report
//                      protocol, imports), required by the host on the first benchmark
//   dist/cli.js        the `gna` CLI
//   dist/webview/*.js  webview scripts (browser, IIFE)
//   dist/grammars/     tree-sitter runtime and Python grammar (wasm), loaded at run time
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [];
// web-tree-sitter's ESM build reads `import.meta.url`, which a CommonJS bundle does not have:
// Node bundles take its CommonJS build instead.
const treeSitterCommonJs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') }));
  },
};
const nodeEntry = (entry, outfile) =>
  existsSync(join(root, entry)) &&
  builds.push({ ...common, entryPoints: [entry], outfile, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [treeSitterCommonJs] });

nodeEntry('extension/host/extension.ts', 'dist/extension.js');
nodeEntry('extension/lint/index.ts', 'dist/linter.js');
nodeEntry('extension/host/lintWorker.ts', 'dist/lintWorker.js');
nodeEntry('webview/protocol/preview.ts', 'dist/previewProtocol.js');
nodeEntry('extension/host/benchRuntime.ts', 'dist/benchRuntime.js');
nodeEntry('extension/cli/main.ts', 'dist/cli.js');

// Every webview/<name>/main.ts becomes dist/webview/<name>.js.
const webviewDir = join(root, 'webview');
if (existsSync(webviewDir)) {
  for (const name of readdirSync(webviewDir)) {
    const entry = join('webview', name, 'main.ts');
    if (existsSync(join(root, entry))) {
      builds.push({ ...common, entryPoints: [entry], outfile: `dist/webview/${name}.js`, platform: 'browser', format: 'iife', target: 'chrome120' });
    }
  }
}

function copyAssets() {
  const grammars = join(root, 'dist', 'grammars');
  mkdirSync(grammars, { recursive: true });
  copyFileSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(grammars, 'tree-sitter.wasm'));
  copyFileSync(join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'), join(grammars, 'tree-sitter-python.wasm'));
}

copyAssets();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log(`watching ${builds.length} bundles`);
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
