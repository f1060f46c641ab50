// Activation time of the extension in a real VS Code (npm run bench:activation [runs]): each run
// starts a fresh code-server, opens a Python file in a workbench that has finished starting, and
// reads VS Code's own number from Developer: Show Running Extensions (code loading + activate
// call), plus our own activate() and module-evaluation times and the linter's load time from the
// output channel (test/e2e/ui/workbench.test.ts). Writes bench/results/activation.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.argv[2] ?? 5);
const artifacts = join(root, 'test-artifacts', 'activation');
const results = [];
for (let i = 0; i < runs; i++) {
  const run = spawnSync('bash', [join(root, 'test/e2e/run.sh')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GNA_E2E_ONLY: 'ui', GNA_E2E_GREP: 'activates', GNA_E2E_ARTIFACTS: artifacts },
  });
  if (run.status !== 0) {
    console.error(`run ${i + 1} failed (exit ${run.status})`);
    process.exit(1);
  }
  results.push(JSON.parse(readFileSync(join(artifacts, 'activation.json'), 'utf8')));
}

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const codeServer = JSON.parse(readFileSync(join(root, '.e2e/node_modules/code-server/package.json'), 'utf8')).version;
const cpu = cpus();
const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
const columns = [
  ['VS Code "Activation" (ms)', 'vscodeActivationMs'],
  ['activate() (ms)', 'activateMs'],
  ['module evaluation (ms)', 'loadMs'],
  ['linter load, after activation (ms)', 'linterLoadMs'],
];
const lines = [
  '# Extension activation time',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} at commit ${commit} with \`npm run bench:activation\` (${runs} runs, a fresh`,
  `code-server ${codeServer} = VS Code 1.100.3 each) on ${machine}. Target: under 30 ms of extension-host time.`,
  '',
  '- **VS Code "Activation"**: what Developer: Show Running Extensions shows, VS Code\'s own',
  '  measurement (code loading + the activate() call) in its extension host.',
  '- **activate()** and **module evaluation**: measured by the extension itself (performance.now()',
  '  around activate(), and from its first to its last module) and logged to the GNA Studio output channel.',
  '- **linter load**: reading the tree-sitter wasm and starting the lint worker (dist/lintWorker.js), done',
  '  on first need after activation, so it is not part of the activation time.',
  '',
  'Single runs vary with whatever else the machine is doing; read the median.',
  '',
  `| run | ${columns.map(([title]) => title).join(' | ')} |`,
  `|---|${columns.map(() => '--:').join('|')}|`,
  ...results.map((r, i) => `| ${i + 1} | ${columns.map(([, key]) => fmt(r[key])).join(' | ')} |`),
  `| **median** | ${columns.map(([, key]) => `**${fmt(median(results.map((r) => r[key])))}**`).join(' | ')} |`,
  '',
];
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/activation.md'), lines.join('\n'));
console.log(lines.join('\n'));
