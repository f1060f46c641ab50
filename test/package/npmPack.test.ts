// The CLI as an npm package: `npm pack` makes a tarball of the built CLI (no sources, no tests, no
// source maps), and `npm install -g` of it into a fresh prefix gives a working `gna` on that
// prefix's PATH, installing only the addon's build dependency and building only the addon
// (CPU-only here, to keep the test short: GNA_FORCE_CPU).
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack: the gna CLI as a package', function () {
  this.timeout(600_000);
  let dir: string;
  let tarball: string;
  let files: string[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gna-pack-'));
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, packed[0].filename);
    files = packed[0].files.map((f) => f.path);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs the built CLI, grammars, addon sources, tracer and docs; no sources, tests or maps', () => {
    for (const f of ['bin/gna.js', 'dist/cli.js', 'dist/grammars/tree-sitter-python.wasm', 'native/binding.gyp', 'native/src/addon.cc', 'native/scripts/build.js', 'python/gna_trace/__init__.py', 'LICENSE', 'README.md', 'docs/gna.md']) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    assert.deepEqual(files.filter((f) => /\.map$|^extension\/|^test\/|^out\/|^webview\/|__pycache__/.test(f)), []);
  });

  it('npm install -g puts a working gna on the PATH, with no dev dependencies', () => {
    const prefix = join(dir, 'prefix');
    const env = { ...process.env, GNA_FORCE_CPU: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const install = spawnSync(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--foreground-scripts', tarball], { encoding: 'utf8', env });
    assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
    const installed = join(prefix, 'lib', 'node_modules', 'gna-studio');
    assert.deepEqual(readdirSync(join(installed, 'node_modules')).sort(), ['node-addon-api'], 'only the addon build dependency is installed');
    assert.ok(existsSync(join(installed, 'native', 'build', 'Release', 'gna_native.node')), 'the addon was built');
    assert.match(install.stdout, /gna-native: .*CPU-only build loads/);

    const gna = join(prefix, 'bin', 'gna');
    const path = `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`;
    const run = (...args: string[]) => spawnSync('gna', args, { encoding: 'utf8', env: { ...process.env, PATH: path }, cwd: dir });
    assert.ok(existsSync(gna));
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run('--version').stdout, `gna ${version}\n`);
    const sim = run('sim', '-i', '256', '256', '-w', '80', '-s', '16', '--q-tile', '16', '8', '--kv-tile', '16', '8');
    assert.equal(sim.status, 0, sim.stderr);
    assert.match(sim.stdout, /simulated speedup\s+10\.2×/);
    const lint = run('lint', join(root, 'examples'));
    assert.equal(lint.status, 1, lint.stderr);
    assert.match(lint.stdout, /error gna\/tuple-length/);
    // The packaged addon answers: CPU-only build, so no GPU.
    const bench = run('bench', '-i', '64', '-w', '8');
    assert.equal(bench.status, 3);
    assert.match(bench.stderr, /no usable GPU: .*CPU-only|no usable GPU: .*without CUDA/i);
  });
});
