// `npm run package`: the installable VS Code extensions, in vsix/.
//   gna-studio-<version>.vsix            universal: bundles, grammars, docs; no native code (GPU
//                                        benchmarks say this package has no GPU build)
//   gna-studio-<version>-linux-x64.vsix  the same plus the CUDA addon (GNA_REQUIRE_CUDA=1 build,
//                                        cudart static); made only on a Linux x64 machine with nvcc
// Without nvcc the linux-x64 package is skipped with a note (exit 0), unless GNA_REQUIRE_CUDA=1
// (a release build), where it is an error. Offline: vsce runs from node_modules.
// Bundles are built for production (minified, no source maps); run `npm run build` to go back.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { decide } = require('../native/scripts/cuda-config.js');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'vsix');
const say = (text) => console.log(`package: ${text}`);
const strict = /^(1|true|yes|on)$/i.test(process.env.GNA_REQUIRE_CUDA ?? '');

function run(command, args, env = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} failed (${r.error?.message ?? `exit code ${r.status}`})`);
    process.exit(1);
  }
}

/** Which package the bundles are in: the addon loader reads it to say what to do without an addon. */
function markTarget(target) {
  writeFileSync(join(root, 'dist', 'package-target.json'), `${JSON.stringify({ target, version })}\n`);
}

function vsce(file, ignoreFile, target) {
  const args = ['package', '--no-dependencies', '--no-rewrite-relative-links', '--ignoreFile', ignoreFile, '--out', join(out, file)];
  if (target) args.push('--target', target);
  run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), ...args]);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
run(process.execPath, ['scripts/build.mjs', '--production']);

markTarget('universal');
vsce(`gna-studio-${version}.vsix`, '.vscodeignore');

const cuda = decide(process.env);
const why =
  process.platform !== 'linux' || process.arch !== 'x64'
    ? `this machine is ${process.platform}-${process.arch}`
    : cuda.nvcc
      ? undefined
      : cuda.why;
if (why) {
  const message = `no linux-x64 package: it carries the CUDA addon, and ${why}`;
  if (strict) {
    console.error(`package: ${message} (GNA_REQUIRE_CUDA=1)`);
    process.exit(1);
  }
  say(`${message}; made the universal package only`);
} else {
  run(process.execPath, ['native/scripts/build.js'], { GNA_REQUIRE_CUDA: '1', GNA_FORCE_CPU: '' });
  const ignoreFile = join(out, '.vscodeignore-linux-x64');
  writeFileSync(ignoreFile, `${readFileSync(join(root, '.vscodeignore'), 'utf8')}\n# the CUDA addon\n!native/build/Release/gna_native.node\n`);
  markTarget('linux-x64');
  vsce(`gna-studio-${version}-linux-x64.vsix`, ignoreFile, 'linux-x64');
  rmSync(ignoreFile);
}
say(`wrote ${out}`);
