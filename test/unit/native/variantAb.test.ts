// Issue 18's kernel-variant A/B without a GPU: the check's verdict on which variant ran
// (test/gpu/variantCheck.ts), ab.py pairing a variant's rows with the measured kernel's, table.py
// naming them, and the GPU session's stage list (gpu-session.sh --list) and carry (make-carry.sh)
// holding what the i18ab stage runs.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FA2_VARIANT_HEAD_DIMS, HOPPER_VARIANT_HEAD_DIMS, variantMiss } from '../../gpu/variantCheck';
import { tableOutput } from './tableFixture';

const root = join(__dirname, '../../../..');
const direct = (d: number, variant?: number) => `sm90a wgmma+TMA, direct layout, d${d}${variant ? `, variant ${variant}` : ''}`;

describe("issue 18's kernel variants", () => {
  it('a case that asked for a variant fails unless its build ran it, and only builds with variants must', () => {
    for (const d of [32, 64, 128, 256]) {
      const has = HOPPER_VARIANT_HEAD_DIMS.includes(d);
      assert.equal(variantMiss(direct(d), d, 0), '', `d${d}, nothing asked`);
      assert.equal(variantMiss(direct(d, 1), d, 1) === '', has, `d${d}, variant 1 ran`);
      assert.equal(variantMiss(direct(d), d, 1) === '', !has, `d${d}, the measured kernel ran`);
      assert.notEqual(variantMiss(direct(d, 1), d, 0), '', `d${d}, a variant nobody asked for`);
      assert.notEqual(variantMiss(direct(d, 2), d, 1), '', `d${d}, another variant`);
      // The portable kernels have no variants: they pass whatever was asked (the Hopper path was not taken).
      assert.equal(variantMiss(`portable mma.sync, d${d}`, d, 1), '');
    }
    assert.match(variantMiss(direct(32), 32, 1), /variant 1 expected at d32, sm90a .*d32 ran/);
  });

  it("a case that asked for variant 1 of the FA2 kernel fails unless the d128 build's 64-key variant ran", () => {
    const fa2 = (d: number, variant?: number, how = 'portable-fa2') => `${how} mma.sync+cp.async, d${d}${variant ? `, variant ${variant}` : ''}`;
    for (const d of [32, 64, 128, 256]) {
      const has = FA2_VARIANT_HEAD_DIMS.includes(d);
      for (const how of ['portable-fa2', 'portable-fa2 permuted']) {
        assert.equal(variantMiss(fa2(d, 0, how), d, 0), '', `${how} d${d}, nothing asked`);
        assert.equal(variantMiss(fa2(d, 1, how), d, 1) === '', has, `${how} d${d}, variant 1 ran`);
        assert.equal(variantMiss(fa2(d, 0, how), d, 1) === '', !has, `${how} d${d}, the default build ran`);
        assert.notEqual(variantMiss(fa2(d, 1, how), d, 0), '', `${how} d${d}, a variant nobody asked for`);
      }
    }
    // Variant 1 is the only FA2 variant: asking for another runs (and expects) the default build.
    assert.equal(variantMiss(fa2(128), 128, 2), '');
    assert.deepEqual(FA2_VARIANT_HEAD_DIMS, [128]);
  });

  it('ab.py pairs the variant with the measured kernel of the same problem and config, best round against best round, naming both kernels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gna-ab-'));
    const rows = (variant: number, ms: number[]) => ({
      rows: [
        { problem: 'd32-2d', config: 'w7x7', kernel: direct(32, variant), totalMs: ms[0] },
        { problem: 'd32-2d', config: 'dense', kernel: direct(32, variant), totalMs: ms[1] },
        { problem: 'd128-1d', config: 'w2048 s256', kernel: direct(128), totalMs: ms[2] }, // no variant at 128: both sides the same
      ],
    });
    const write = (name: string, v: object) => (writeFileSync(join(dir, name), JSON.stringify(v)), join(dir, name));
    const base = [write('b1.json', rows(0, [0.4, 5, 1])), write('b2.json', rows(0, [0.38, 5.1, 1.02]))].join(',');
    const ours = [write('o1.json', rows(1, [0.3, 5.05, 1.01])), write('o2.json', rows(1, [0.32, 4.9, 1]))].join(',');
    const r = spawnSync('python3', [join(root, 'native/bench/ab.py'), base, ours], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 4, r.stdout);
    const line = (config: string) => lines.find((l) => l.includes(config))!;
    assert.ok(line('w7x7').includes(`${(0.38 / 0.3).toFixed(3)}x  ${direct(32)} | ${direct(32, 1)}`), line('w7x7'));
    assert.ok(line('dense').includes(`${(5 / 4.9).toFixed(3)}x  ${direct(32)} | ${direct(32, 1)}`), line('dense'));
    assert.ok(line('w2048').includes(`1.000x  ${direct(128)} | ${direct(128)}`), line('w2048'));
  });

  it("table.py names a variant's rows by head dim and variant, and still judges them by head dim", () => {
    const out = tableOutput('issue18', (d) => direct(d, 1), [{ problem: 'd32-2d-128x128-b8-h4', d: 32, dense: 4.8, gna: 0.3, simulated: 21.33, flash: 5, cudnn: 4.5 }]);
    assert.match(out, /d32-2d-128x128-b8-h4\s+w7\s+ours sm90a direct d32 v1\s/);
    assert.ok(out.includes('MISS  d32-2d-128x128-b8-h4 w7: measured 16.00x over our dense = 75% of simulated 21.33x (target >= 90%)'), out);
    assert.ok(out.includes("MISS  d32-2d-128x128-b8-h4 dense: ours at 94% of cuDNN's throughput (target >= 95%)"), out);
  });

  it('the GPU session lists every stage it runs with a time limit, and the carry holds what the i18ab stage runs', () => {
    const script = join(root, 'native/scripts/gpu-session.sh');
    const r = spawnSync('bash', [script, '--list'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const listed = new Map(r.stdout.trim().split('\n').map((l) => [l.split(' ')[0], Number(l.split(' ')[2])] as const));
    const cases = [...readFileSync(script, 'utf8').matchAll(/^ {4}([a-z0-9]+)\)$/gm)].map((m) => m[1]);
    assert.deepEqual([...listed.keys()].sort(), cases.sort());
    for (const [stage, limit] of listed) assert.ok(limit > 0 && limit <= 600, `${stage}: ${limit}`);
    // The A/B stage leaves a start-up and packing margin in one 10-minute device call.
    assert.ok(listed.get('i18ab')! <= 420);
    const carry = readFileSync(join(root, 'native/scripts/make-carry.sh'), 'utf8');
    const ab = readFileSync(join(root, 'native/scripts/i18ab.sh'), 'utf8');
    const used = new Set([...ab.matchAll(/(?:\.\/node |bash |python3 |sh )([a-z0-9_-]+\.(?:js|sh|py))/g)].map((m) => m[1]));
    assert.ok(['gpu-check.js', 'bench.js', 'bench.sh', 'trace.py', 'sass-report.sh', 'unpack-node.sh'].every((f) => used.has(f)), [...used].join(' '));
    // bench.js and gpu-check.js are bundled (entry:name), bench.sh is native/bench/run.sh; the rest are copied by name.
    const made = (f: string) => (f === 'bench.sh' ? carry.includes('native/bench/run.sh "$dest/bench.sh"') : f.endsWith('.js') ? carry.includes(`:${f.slice(0, -3)} `) : carry.includes(`/${f} `));
    for (const f of [...used, 'i18ab.sh']) assert.ok(made(f), `make-carry.sh does not carry ${f}`);
  });
});
