#!/usr/bin/env node
// build.js: builds the native addon with node-gyp (run by the root package's `install` script).
//
//   node native/scripts/build.js            CUDA build when nvcc is found, else CPU-only (says so)
//   node native/scripts/build.js --cpu      CPU-only build (same as GNA_FORCE_CPU=1)
//   node native/scripts/build.js --both     CI: CPU-only build, then CUDA build (nvcc required);
//                                           both must compile, load and answer; the CPU-only one
//                                           is kept as native/build/cpu-only/gna_native.node
//   --clean                                 start from an empty build folder
//
// GNA_REQUIRE_CUDA=1 makes a missing nvcc or a failed build an error (for release builds and
// for what goes to a GPU machine). Without it, a failed build prints why and exits 0: the
// extension works without the addon (everything but benchmarks).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { decide } = require('./cuda-config');

const NATIVE = path.resolve(__dirname, '..');
const ADDON = path.join(NATIVE, 'build', 'Release', 'gna_native.node');
const CPU_COPY = path.join(NATIVE, 'build', 'cpu-only', 'gna_native.node');
const truthy = (v) => /^(1|true|yes|on)$/i.test(v || '');
const say = (text) => process.stdout.write(`gna-native: ${text}\n`);

class BuildError extends Error {}

// npm passes its bundled node-gyp as npm_config_node_gyp; outside npm, look beside node.
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [NATIVE] }));
  } catch {
    // not installed as a package: npm's copy is the usual one
  }
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) throw new BuildError(`node-gyp not found (tried ${candidates.filter(Boolean).join(', ')}); run through npm or install node-gyp`);
  return found;
}

// Node headers without a download: npm's nodedir setting, else the prefix node was installed in.
function nodedirArgs() {
  const configured = process.env.npm_config_nodedir;
  if (configured) return [`--nodedir=${configured}`];
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

// The compilers' output (make lines, nvcc/ptxas notes and warnings) goes to a log file, not the
// installing user's terminal; a failure prints the log's tail.
const LOG = path.join(NATIVE, 'build', 'build.log');

function runGyp(args, env) {
  fs.mkdirSync(path.dirname(LOG), { recursive: true });
  const log = fs.openSync(LOG, 'a');
  let r;
  try {
    fs.writeSync(log, `\n== node-gyp ${args.join(' ')} (${new Date().toISOString()})\n`);
    r = spawnSync(process.execPath, [nodeGyp(), ...args, '--loglevel=warn', ...nodedirArgs()], { cwd: NATIVE, env, stdio: ['ignore', log, log] });
  } finally {
    fs.closeSync(log);
  }
  if (r.error) throw new BuildError(`node-gyp could not start: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = fs.readFileSync(LOG, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
    throw new BuildError(`node-gyp ${args[0]} failed with exit code ${r.status}; last lines of ${path.relative(process.cwd(), LOG)}:\n${tail}`);
  }
}

function build(mode, clean) {
  const env = { ...process.env };
  delete env.GNA_FORCE_CPU;
  delete env.GNA_REQUIRE_CUDA;
  if (mode === 'cpu') env.GNA_FORCE_CPU = '1';
  if (mode === 'cuda') env.GNA_REQUIRE_CUDA = '1';
  // The nvcc rule does not notice a different compiler or toolkit: start clean when they change.
  const gyp = crypto.createHash('sha256').update(fs.readFileSync(path.join(NATIVE, 'binding.gyp'))).digest('hex');
  const key = JSON.stringify({ mode, cuda: mode === 'cpu' ? {} : decide(env), gyp });
  const keyFile = path.join(NATIVE, 'build', 'gna-build-key.json');
  const previous = fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8') : '';
  if (clean || (previous !== '' && previous !== key)) runGyp(['clean'], env);
  fs.mkdirSync(path.dirname(LOG), { recursive: true });
  fs.writeFileSync(LOG, '');
  const started = Date.now();
  runGyp(['configure'], env);
  runGyp(['build', '-j', 'max'], env);
  fs.writeFileSync(keyFile, key);
  return (Date.now() - started) / 1000;
}

// Loads the addon in a fresh node and asks it what it is (a broken .node must not take this
// process down).
function probe(file) {
  const script = `const a = require(${JSON.stringify(file)}); const i = a.deviceInfo();
    const t = a.tileRanges({inputSize:[9], windowSize:[3], stride:[1], dilation:[1], causal:[false]}, {q:[4], kv:[4]});
    console.log(JSON.stringify({ builtWithCuda: a.builtWithCuda, available: i.available, message: i.message, qTiles: t[0].qTiles }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new BuildError(`${file} does not load: ${(r.stderr || '').trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// GPU code embedded in the .node: the entries of its .nv_fatbin section (sm_XX SASS, PTX).
function gpuTargets(file) {
  const tmp = path.join(os.tmpdir(), `gna-fatbin-${process.pid}`);
  const r = spawnSync('objcopy', ['-O', 'binary', '--only-section=.nv_fatbin', file, tmp]);
  if (r.error || r.status !== 0 || !fs.existsSync(tmp)) return undefined;
  const data = fs.readFileSync(tmp);
  fs.rmSync(tmp, { force: true });
  const found = new Set();
  for (let off = 0; off + 16 <= data.length; ) {
    if (data.readUInt32LE(off) !== 0xba55ed50) {
      off += 8;
      continue;
    }
    const headerSize = data.readUInt16LE(off + 6);
    const end = off + headerSize + Number(data.readBigUInt64LE(off + 8));
    for (let p = off + headerSize; p + 32 <= end; ) {
      const kind = data.readUInt16LE(p);
      const entryHeader = data.readUInt32LE(p + 4);
      const padded = Number(data.readBigUInt64LE(p + 8));
      const arch = data.readUInt32LE(p + 28);
      found.add(kind === 1 ? `PTX compute_${arch}` : `SASS sm_${arch}`);
      p += entryHeader + padded;
    }
    off = end;
  }
  return [...found].sort();
}

function dynamicLibs(file) {
  const r = spawnSync('ldd', [file], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

function verify(file, expectCuda) {
  const info = probe(file);
  if (info.builtWithCuda !== expectCuda) throw new BuildError(`${file}: builtWithCuda is ${info.builtWithCuda}, expected ${expectCuda}`);
  if (info.qTiles !== 3) throw new BuildError(`${file}: tileRanges answered ${info.qTiles} Q tiles for 9 tokens in tiles of 4, expected 3`);
  const libs = dynamicLibs(file);
  if (libs !== undefined && /libcudart/.test(libs)) throw new BuildError(`${file} links libcudart dynamically:\n${libs}`);
  let targets = '';
  if (expectCuda) {
    const list = gpuTargets(file);
    if (list !== undefined) {
      for (const need of ['SASS sm_80', 'SASS sm_86', 'SASS sm_89', 'SASS sm_90', 'PTX compute_90']) {
        if (!list.includes(need)) throw new BuildError(`${file} lacks ${need} (has: ${list.join(', ') || 'none'})`);
      }
      targets = `; GPU code: ${list.join(', ')}`;
    }
  }
  say(`${path.relative(process.cwd(), file)}: ${expectCuda ? 'CUDA' : 'CPU-only'} build loads; deviceInfo: ${info.message}${targets}`);
}

function main() {
  const args = new Set(process.argv.slice(2));
  const clean = args.has('--clean');
  if (args.has('--both')) {
    const cpuSeconds = build('cpu', clean);
    verify(ADDON, false);
    const saved = fs.readFileSync(ADDON);
    const cudaSeconds = build('cuda', false);
    verify(ADDON, true);
    fs.mkdirSync(path.dirname(CPU_COPY), { recursive: true });
    fs.writeFileSync(CPU_COPY, saved);
    verify(CPU_COPY, false);
    say(`both builds compiled (CPU-only ${cpuSeconds.toFixed(1)} s, CUDA ${cudaSeconds.toFixed(1)} s)`);
    return 0;
  }
  const requireCuda = truthy(process.env.GNA_REQUIRE_CUDA);
  const forceCpu = args.has('--cpu') || truthy(process.env.GNA_FORCE_CPU);
  if (forceCpu && requireCuda) throw new BuildError('GNA_REQUIRE_CUDA=1 contradicts a CPU-only build');
  let mode = forceCpu ? 'cpu' : 'cuda';
  if (mode === 'cuda') {
    const d = decide();
    if (!d.nvcc) {
      if (requireCuda) throw new BuildError(`GNA_REQUIRE_CUDA=1 but ${d.why}`);
      say(`building CPU-only: ${d.why}. Benchmarks will not be available.`);
      mode = 'cpu';
    }
  }
  try {
    const seconds = build(mode, clean);
    say(`built in ${seconds.toFixed(1)} s (compiler output: ${path.relative(process.cwd(), LOG)})`);
  } catch (e) {
    if (mode !== 'cuda' || requireCuda) throw e;
    say(`the CUDA build failed (${e.message}); building CPU-only instead.`);
    build('cpu', true);
    mode = 'cpu';
  }
  verify(ADDON, mode === 'cuda');
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  const strict = truthy(process.env.GNA_REQUIRE_CUDA) || process.argv.includes('--both');
  say(`${e instanceof BuildError ? '' : 'unexpected: '}${e.message}`);
  if (strict) {
    process.exitCode = 1;
  } else {
    say('the native addon is not available: GNA Studio works without it, except for GPU benchmarks.');
    say('to retry: node native/scripts/build.js (see native/README.md)');
    process.exitCode = 0;
  }
}
