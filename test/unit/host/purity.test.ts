// The host's pure modules run in plain Node (these tests) and may later run in the webview: they
// must not import `vscode`, Node built-ins or anything outside the pure core and the lint contract.
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '../../../..');
const PURE = join(ROOT, 'extension/host/pure');
const ALLOWED = [/^\.\/[\w]+$/, /^\.\.\/\.\.\/core\/[\w]+$/, /^\.\.\/\.\.\/lint\/types$/];

describe('host: pure modules stay pure', () => {
  const files = readdirSync(PURE).filter((f) => f.endsWith('.ts'));
  it('has pure modules to check', () => assert.ok(files.length >= 4));
  for (const file of files) {
    it(`${file} imports only pure modules`, () => {
      const text = readFileSync(join(PURE, file), 'utf8');
      const imports = [...text.matchAll(/\bfrom\s+'([^']+)'|\brequire\(\s*'([^']+)'\s*\)|\bimport\(\s*'([^']+)'\s*\)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3],
      );
      for (const spec of imports) {
        assert.ok(ALLOWED.some((re) => re.test(spec)), `${file} imports '${spec}'`);
        assert.notEqual(spec, '../../core/schema', 'core/schema pulls zod into the extension bundle');
        assert.notEqual(spec, '../../core/index');
      }
    });
  }
});
