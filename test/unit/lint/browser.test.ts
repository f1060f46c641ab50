// The linter in a browser-like realm (what a webview gets): bundled by esbuild for the browser,
// run in a vm context with no `process`, `require` or `fetch`, grammars handed over as bytes
// from another realm. Node-only branches of web-tree-sitter stay external and are never reached.
import { strict as assert } from 'assert';
import { build } from 'esbuild';
import { readFileSync } from 'fs';
import { createContext, runInContext } from 'vm';
import { grammarBytes, repoPath } from './helpers';

interface BundledLinter {
  createLinter(g: { treeSitterWasm: Uint8Array; pythonWasm: Uint8Array }): Promise<{ lint(text: string): { findings: { rule: string; range: { start: number } }[] } }>;
}

describe('linter in a browser-like realm', function () {
  this.timeout(60000);

  it('bundles for the browser and lints from bytes, without Node', async () => {
    const result = await build({
      entryPoints: [repoPath('extension', 'lint', 'index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      globalName: 'gnaLint',
      // Reached only when web-tree-sitter detects Node; a webview bundle marks them external too.
      external: ['fs/promises', 'module'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    const sandbox: Record<string, unknown> = {
      window: {},
      console,
      WebAssembly: (globalThis as Record<string, unknown>).WebAssembly,
      TextDecoder,
      TextEncoder,
      URL,
      performance,
      setTimeout,
      clearTimeout,
      location: { href: 'https://webview.local/index.html' },
    };
    sandbox.self = sandbox.window;
    sandbox.globalThis = sandbox;
    createContext(sandbox);
    runInContext(code, sandbox);
    assert.equal(runInContext('typeof process + typeof require + typeof fetch', sandbox), 'undefinedundefinedundefined');
    const { createLinter } = sandbox.gnaLint as BundledLinter;
    const linter = await createLinter(grammarBytes());
    const text = 'import natten\n# gna: input_size=(64, 64)\nnatten.na2d(q, k, v, 7, stride=9)\n';
    const report = linter.lint(text);
    // Arrays from the other realm: compare as JSON.
    assert.equal(JSON.stringify(report.findings.map((f) => f.rule)), '["gna/stride-exceeds-window"]');
    assert.equal(report.findings[0].range.start, text.indexOf('9'));
    assert.ok(readFileSync(repoPath('node_modules', 'web-tree-sitter', 'tree-sitter.wasm')).length > 0);
  });
});
