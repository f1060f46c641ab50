// The import rules of .dependency-cruiser.cjs (ARCHITECTURE.md's boundary table, run by `npm test`)
// on a tree of deliberate violations: each rule must fire exactly where the table forbids an import,
// and the allowed imports in the same tree must pass.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { rmSync } from 'fs';
import { join } from 'path';
import { writeTempTree } from '../../support/tempTree';

const ROOT = join(__dirname, '../../../..');
const CRUISER = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Stand-ins for the npm packages the rules name, so the fixture resolves them like the repo does. */
const PACKAGES: Record<string, string> = {
  'node_modules/zod/package.json': '{ "name": "zod", "main": "index.js" }',
  'node_modules/zod/index.js': '',
  'node_modules/@types/vscode/package.json': '{ "name": "@types/vscode", "types": "index.d.ts" }',
  'node_modules/@types/vscode/index.d.ts': 'declare module "vscode" { export const version: string; }',
  'tsconfig.json': '{ "compilerOptions": { "module": "commonjs", "moduleResolution": "node" } }',
};

/** Each fixture file's imports, and the rule each forbidden one breaks (null: allowed). */
const IMPORTS: Record<string, Array<[string, string | null]>> = {
  'extension/core/model.ts': [
    ['./other', null],
    ['zod', null],
    ['../host/panel', 'core-imports-only-core-and-zod'],
    ['fs', 'core-imports-only-core-and-zod'],
    ['./missing', 'no-unresolvable-imports'],
  ],
  'extension/core/other.ts': [],
  'extension/core/schema.ts': [['zod', null]],
  'extension/lint/rule.ts': [['../core/model', null], ['../python/scan', null], ['path', 'scanner-and-lint-import-only-core-and-tree-sitter']],
  'extension/python/scan.ts': [['../cli/main', 'scanner-and-lint-import-only-core-and-tree-sitter']],
  'extension/native/wrapper.ts': [['fs', null], ['../core/model', null], ['vscode', 'native-wrapper-imports-only-core-and-node']],
  'extension/cli/main.ts': [['../native/wrapper', null], ['../lint/rule', null], ['zod', null], ['../host/panel', 'cli-imports-no-host-or-webview']],
  'extension/host/pure/text.ts': [
    ['../../core/model', null],
    ['vscode', 'host-pure-imports-only-core-and-lint-types'],
    ['../../core/schema', 'host-pure-loads-no-zod'],
  ],
  'extension/host/panel.ts': [
    ['vscode', null],
    ['crypto', null],
    ['./pure/text', null],
    ['../../webview/protocol/messages', null],
    ['../cli/main', 'host-imports-no-cli-or-page'],
    ['../../webview/preview/app', 'host-imports-no-cli-or-page'],
  ],
  'webview/model/view.ts': [['../../extension/core/model', null], ['zod', 'view-model-imports-only-core']],
  'webview/protocol/messages.ts': [['zod', null], ['../model/view', 'protocol-imports-only-core-and-zod']],
  'webview/preview/app.ts': [
    ['../model/view', null],
    ['../protocol/messages', null],
    ['../kit/channel', null],
    ['../../extension/host/panel', 'page-imports-only-core-model-protocol'],
    ['../report/page', 'page-imports-only-core-model-protocol'],
  ],
  'webview/report/page.ts': [['fs', 'page-imports-only-core-model-protocol']],
  'webview/kit/channel.ts': [['zod', null], ['../protocol/messages', null], ['../preview/app', 'page-kit-imports-only-protocol-and-zod']],
};

/** `import type` for one edge so type-only imports are shown to count. */
const TYPE_ONLY = 'extension/core/other.ts';
IMPORTS[TYPE_ONLY].push(['../host/pure/text', 'core-imports-only-core-and-zod']);

function fixture(): string {
  const files: Record<string, string> = { ...PACKAGES };
  for (const [file, imports] of Object.entries(IMPORTS)) {
    const lines = imports.map(([spec], i) => (file === TYPE_ONLY ? `import type * as m${i} from '${spec}';` : `import * as m${i} from '${spec}';`));
    files[file] = [...lines, `export const uses = [${imports.map((_, i) => `m${i}`).join(', ')}];`, ''].join('\n');
  }
  return writeTempTree('gna-boundaries-', files);
}

/** Where the checker says an import goes: a relative one from the repo root, the rest as written. */
const target = (file: string, spec: string, rule: string): string =>
  /^\./.test(spec) && rule !== 'no-unresolvable-imports' ? join(file, '..', spec).replace(/\\/g, '/') : spec;

describe('import boundaries (.dependency-cruiser.cjs)', () => {
  it('fails on every forbidden import of a fixture tree, naming the rule, and passes the allowed ones', () => {
    const dir = fixture();
    const run = spawnSync(process.execPath, [CRUISER, 'extension', 'webview', '--config', CONFIG], { cwd: dir, encoding: 'utf8' });
    rmSync(dir, { recursive: true });
    const expected = Object.entries(IMPORTS)
      .flatMap(([file, imports]) => imports.flatMap(([spec, rule]) => (rule ? [`${file} -> ${target(file, spec, rule)}: ${rule}`] : [])))
      .sort();
    assert.equal(run.status, expected.length, `the checker exits with the number of violations\n${run.stdout}${run.stderr}`);
    // Lines such as `error core-imports-only-core-and-zod: extension/core/model.ts → fs`.
    const found = [...run.stdout.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)]
      .map(([, rule, from, to]) => `${from} -> ${to.replace(/\.(d\.)?ts$|\/(index|package)\.(js|d\.ts|json)$/, '').replace(/^node_modules\/(@types\/)?/, '')}: ${rule}`)
      .sort();
    assert.deepEqual(found, expected);
  });

  it('has a fixture violation for every rule of the config', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(CONFIG) as { forbidden: Array<{ name: string }> };
    const exercised = new Set(Object.values(IMPORTS).flatMap((imports) => imports.map(([, rule]) => rule)));
    assert.deepEqual(config.forbidden.map((r) => r.name).filter((name) => !exercised.has(name)), []);
  });
});
