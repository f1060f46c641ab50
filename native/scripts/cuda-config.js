#!/usr/bin/env node
// cuda-config.js: asked by binding.gyp at configure time whether to build the CUDA part.
//   node scripts/cuda-config.js nvcc     absolute path of nvcc, or '' for the CPU-only build
//   node scripts/cuda-config.js libdir   folder of libcudart_static.a, or ''
//   node scripts/cuda-config.js headers  every header under src/ (inputs of the nvcc rule, so a
//                                         header change rebuilds the .cu)
// Environment: NVCC (else nvcc on PATH), CUDA_HOME / CUDA_PATH, GNA_FORCE_CPU=1 (never CUDA),
// GNA_REQUIRE_CUDA=1 (exit 1 instead of falling back to CPU-only).
// Only the answer goes to stdout; explanations go to stderr.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const truthy = (v) => /^(1|true|yes|on)$/i.test(v || '');

function executable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function findNvcc(env) {
  if (env.NVCC) return executable(env.NVCC) ? path.resolve(env.NVCC) : '';
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, 'nvcc'))) return path.join(dir, 'nvcc');
  }
  return '';
}

// Candidate toolkit folders. nvcc may be a wrapper script (as /usr/local/bin/nvcc is here), so
// ask nvcc itself where its toolkit lives (`-dryrun` prints TOP and _TARGET_DIR_).
function toolkitDirs(nvcc, env) {
  const dirs = [env.CUDA_HOME, env.CUDA_PATH].filter(Boolean);
  const r = spawnSync(nvcc, ['-dryrun', '-x', 'cu', '-c', '/dev/null', '-o', '/dev/null'], { encoding: 'utf8', timeout: 60000 });
  const text = `${r.stdout || ''}${r.stderr || ''}`;
  const top = /^#\$ TOP=(.*)$/m.exec(text);
  if (top) {
    for (const m of text.matchAll(/^#\$ _TARGET_DIR_=(.*)$/gm)) if (m[1].trim()) dirs.push(path.join(top[1].trim(), m[1].trim()));
    dirs.push(top[1].trim());
  }
  try {
    dirs.push(path.resolve(path.dirname(fs.realpathSync(nvcc)), '..'));
  } catch {
    // a dangling link: the other candidates remain
  }
  dirs.push('/usr/local/cuda');
  return dirs;
}

function findLibdir(nvcc, env) {
  for (const d of toolkitDirs(nvcc, env)) {
    for (const sub of ['lib64', 'lib', 'targets/x86_64-linux/lib']) {
      const p = path.join(d, sub);
      if (fs.existsSync(path.join(p, 'libcudart_static.a'))) return path.resolve(p);
    }
  }
  return '';
}

/** Whether to build the CUDA part, for the given environment. */
function decide(env = process.env) {
  if (truthy(env.GNA_FORCE_CPU)) return { nvcc: '', libdir: '', why: 'GNA_FORCE_CPU is set' };
  const nvcc = findNvcc(env);
  if (!nvcc) return { nvcc: '', libdir: '', why: 'nvcc was not found (set NVCC or put it on PATH)' };
  const libdir = findLibdir(nvcc, env);
  if (!libdir) return { nvcc: '', libdir: '', why: `libcudart_static.a was not found for ${nvcc}` };
  return { nvcc, libdir, why: '' };
}

function headers(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.posix.join(dir, e.name);
    if (e.isDirectory()) out.push(...headers(p));
    else if (/\.(h|hpp|cuh)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

if (require.main === module) {
  const what = process.argv[2];
  if (what === 'headers') {
    process.stdout.write(headers('src').join(' '));
  } else {
    const d = decide();
    if (!d.nvcc) {
      if (truthy(process.env.GNA_REQUIRE_CUDA)) {
        process.stderr.write(`cuda-config: GNA_REQUIRE_CUDA=1 but ${d.why}\n`);
        process.exit(1);
      }
      if (what === 'nvcc') process.stderr.write(`cuda-config: building CPU-only (${d.why})\n`);
    }
    process.stdout.write(what === 'libdir' ? d.libdir : d.nvcc);
  }
}

module.exports = { decide };
