// `npm run demo`: the main job on the bundled examples. Lints the example model code (which has
// deliberate mistakes, so `gna lint` exits 1 there: that is the expected outcome, not a failure)
// and simulates the example problems with stride advice and tile-preset ranking.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gna = (args) => spawnSync(process.execPath, [join(root, 'bin/gna.js'), ...args], { cwd: root, stdio: 'inherit' }).status;

console.log('== gna lint examples/   (NATTEN configs in example model code)\n');
const lint = gna(['lint', 'examples/']);
console.log('\n== gna sim --config examples/problems.json   (the GNA paper problems)\n');
const sim = gna(['sim', '--config', 'examples/problems.json']);
// lint: 0 = clean, 1 = errors found (expected here); anything else is a real failure.
process.exitCode = (lint === 0 || lint === 1) && sim === 0 ? 0 : 1;
