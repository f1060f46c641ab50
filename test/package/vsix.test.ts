// What `npm run package` made (run it first; CI does): the universal and linux-x64 VSIXs hold what
// a user needs and nothing else. The linux-x64 one is required wherever nvcc is, as the package
// script makes it there.
import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import { join, posix } from 'path';
import { openZip, ZipArchive } from '../support/zip';

const root = join(__dirname, '..', '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const ADDON = 'extension/native/build/Release/gna_native.node';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decide } = require(join(root, 'native', 'scripts', 'cuda-config.js')) as { decide(env: NodeJS.ProcessEnv): { nvcc: string } };

function vsix(name: string): ZipArchive {
  const path = join(root, 'vsix', name);
  assert.ok(existsSync(path), `${path} is missing: run npm run package`);
  return openZip(path);
}

/** Relative link targets of a Markdown text (no scheme, no pure anchors), without their anchors. */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => t.replace(/#.*$/, ''));
}

function checkCommon(zip: ZipArchive): void {
  for (const file of ['extension/package.json', 'extension/LICENSE.txt', 'extension/readme.md', 'extension/changelog.md', 'extension/media/icon.png', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/grammars/tree-sitter-python.wasm', 'extension/python/gna_trace/__init__.py']) {
    assert.ok(zip.names.includes(file), `${file} missing`);
  }
  assert.deepEqual(zip.names.filter((n) => n.endsWith('.map')), [], 'source maps shipped');
  assert.deepEqual(zip.names.filter((n) => /^extension\/(node_modules|out|test|extension|webview|native\/src)\//.test(n)), [], 'sources or dependencies shipped');
  assert.doesNotMatch(zip.read('extension/dist/extension.js').toString('utf8'), /sourceMappingURL/);
  const manifest = JSON.parse(zip.read('extension/package.json').toString('utf8')) as { repository?: unknown; license?: string; icon?: string };
  assert.ok(manifest.repository, 'repository field');
  assert.equal(manifest.license, 'MIT');
  assert.match(zip.read('extension/LICENSE.txt').toString('utf8'), /MIT License/);
  for (const doc of zip.names.filter((n) => n.endsWith('.md'))) {
    for (const link of relativeLinks(zip.read(doc).toString('utf8'))) {
      const target = posix.normalize(posix.join(posix.dirname(doc), link));
      const found = zip.names.includes(target) || zip.names.some((n) => n.startsWith(`${target.replace(/\/$/, '')}/`));
      assert.ok(found, `${doc} links to ${link}, which is not in the package`);
    }
  }
}

function packageTarget(zip: ZipArchive): string {
  return (JSON.parse(zip.read('extension/dist/package-target.json').toString('utf8')) as { target: string }).target;
}

describe('npm run package', () => {
  it('the universal VSIX: bundles, LICENSE, docs the README links to; no native code, no source maps', () => {
    const zip = vsix(`gna-studio-${version}.vsix`);
    checkCommon(zip);
    assert.deepEqual(zip.names.filter((n) => n.endsWith('.node')), []);
    assert.equal(packageTarget(zip), 'universal');
    assert.doesNotMatch(zip.read('extension.vsixmanifest').toString('utf8'), /TargetPlatform=/);
  });

  const canBuildX64 = process.platform === 'linux' && process.arch === 'x64' && decide(process.env).nvcc !== '';
  it(`the linux-x64 VSIX: the same plus the CUDA addon (${canBuildX64 ? 'nvcc here: made' : 'no nvcc here: not made'})`, () => {
    const file = `gna-studio-${version}-linux-x64.vsix`;
    if (!canBuildX64) {
      assert.ok(!existsSync(join(root, 'vsix', file)), `${file} was made without nvcc`);
      return;
    }
    const zip = vsix(file);
    checkCommon(zip);
    assert.deepEqual(zip.names.filter((n) => n.endsWith('.node')), [ADDON]);
    assert.equal(packageTarget(zip), 'linux-x64');
    assert.match(zip.read('extension.vsixmanifest').toString('utf8'), /TargetPlatform="linux-x64"/);
    // The CUDA build: GPU code in the .nv_fatbin section, and no libcudart.so dependency.
    const addon = zip.read(ADDON);
    assert.ok(addon.includes(Buffer.from('.nv_fatbin')), 'the addon has no GPU code: not a CUDA build');
    assert.ok(!addon.includes(Buffer.from('libcudart.so')), 'the addon links libcudart dynamically');
  });
});
