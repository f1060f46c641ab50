// The gate of the Hopper fused backward (issue 21): gna_hopper_select.h's hopper_backward_wanted,
// compiled with g++ on its own (it is host-only C++, as addon.cc sees it) and asked for every kernel
// choice and head dim. Until a GPU check lists a head dim in hopper_backward_checked_on_gpu, 'auto'
// must keep the portable backward; 'hopper' and 'permuted' must ask for the Hopper one (and make a
// device without it an error); every portable choice must keep the portable backward.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const SRC = resolve(__dirname, '../../../../native/src');

const PROGRAM = `
#include <stdio.h>
#include "gna_hopper_select.h"
int main() {
  const int kernels[] = {GNA_KERNEL_AUTO, GNA_KERNEL_PORTABLE, GNA_KERNEL_PERMUTED, GNA_KERNEL_HOPPER, GNA_KERNEL_FA2, GNA_KERNEL_FA2_PERMUTED};
  const int dims[] = {16, 32, 64, 128, 256};
  for (int k : kernels) {
    for (int d : dims) {
      bool required = false;
      const char* why = "";
      const bool wanted = gna::hopper_backward_wanted(d, k, &required, &why);
      printf("%d %d %d %d %d %s\\n", k, d, wanted ? 1 : 0, required ? 1 : 0, gna::hopper_backward_checked_on_gpu(d) ? 1 : 0, wanted ? "-" : why);
    }
  }
  return 0;
}
`;

describe('the Hopper backward gate (gna_hopper_select.h, compiled on the CPU)', function () {
  this.timeout(60000);
  const rows: { kernel: number; dim: number; wanted: boolean; required: boolean; checked: boolean; why: string }[] = [];
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'gna-gate-'));
    try {
      writeFileSync(join(dir, 'gate.cc'), PROGRAM);
      execFileSync(process.env.CXX ?? 'g++', ['-std=c++17', `-I${SRC}`, '-o', join(dir, 'gate'), join(dir, 'gate.cc')], { stdio: 'inherit' });
      for (const line of execFileSync(join(dir, 'gate')).toString().trim().split('\n')) {
        const [kernel, dim, wanted, required, checked, ...why] = line.split(' ');
        rows.push({ kernel: Number(kernel), dim: Number(dim), wanted: wanted === '1', required: required === '1', checked: checked === '1', why: why.join(' ') });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // gna_native.h's gna_kernel values.
  const AUTO = 0, PERMUTED = 2, HOPPER = 3;

  it('asks every kernel choice at every head dim', () => assert.equal(rows.length, 6 * 5));

  it("'hopper' and 'permuted' ask for the Hopper backward at head dims 32, 64, 128 and make it required", () => {
    for (const r of rows.filter((x) => x.kernel === HOPPER || x.kernel === PERMUTED)) {
      assert.equal(r.required, true, JSON.stringify(r));
      assert.equal(r.wanted, [32, 64, 128].includes(r.dim), JSON.stringify(r));
    }
  });

  it("'auto' takes it only where the GPU check has passed (hopper_backward_checked_on_gpu)", () => {
    for (const r of rows.filter((x) => x.kernel === AUTO)) {
      assert.equal(r.required, false);
      assert.equal(r.wanted, r.checked && [32, 64, 128].includes(r.dim), JSON.stringify(r));
      if (!r.wanted && [32, 64, 128].includes(r.dim)) assert.match(r.why, /has not passed its GPU check/);
    }
  });

  it('no head dim has passed the GPU check yet: auto keeps the portable backward everywhere', () => {
    assert.ok(rows.every((r) => !r.checked));
    assert.ok(rows.filter((r) => r.kernel === AUTO).every((r) => !r.wanted));
  });

  it('every portable choice (portable, portable-fa2, portable-fa2-permuted) keeps the portable backward', () => {
    for (const r of rows.filter((x) => ![AUTO, PERMUTED, HOPPER].includes(x.kernel))) {
      assert.deepEqual([r.wanted, r.required], [false, false], JSON.stringify(r));
      assert.match(r.why, /portable kernel was asked for/);
    }
  });
});
