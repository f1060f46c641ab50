// table.py (native/bench/table.py) run on fixture timings, for the tests of its targets and names.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '../../../..');

/** A fixture problem: our dense (and GNA config 'w7') times, the peers' dense (and FlexAttention's 'w7'). */
export interface TableRow {
  problem: string;
  d: number;
  dense: number;
  gna?: number;
  simulated?: number;
  flash: number;
  cudnn: number;
  flex?: number;
}

/** bench.js rows (ours, kernel named by `kernel(d)`) and peers.py rows for table.py; its whole output. */
export function tableOutput(set: string, kernel: (d: number) => string, rows: TableRow[]): string {
  const ours = {
    meta: { device: 'fixture', runtime: 13000, driver: 13000, node: 'v22', date: '2026-12-05', chain: 1, set },
    rows: rows.flatMap((r) => {
      const row = (config: string, ms: number, simulated: number) => ({
        problem: r.problem,
        config,
        kernel: kernel(r.d),
        attentionMs: ms,
        permuteMs: 0,
        totalMs: ms,
        tflopsVisited: 100,
        simulated,
        tilePairBound: simulated,
        visited: 1,
        total: 1,
      });
      return [row('dense', r.dense, 1), ...(r.gna ? [row('w7', r.gna, r.simulated ?? 1)] : [])];
    }),
  };
  const peers = {
    meta: { device: 'fixture', torch: '2', cuda: '13', cudnn: 9, date: '2026-12-05' },
    rows: rows.flatMap((r) => [
      { problem: r.problem, config: 'dense', impl: 'SDPA cuDNN', attentionMs: r.cudnn, permuteMs: 0, totalMs: r.cudnn, tflops: 1 },
      { problem: r.problem, config: 'dense', impl: 'SDPA flash', attentionMs: r.flash, permuteMs: 0, totalMs: r.flash, tflops: 1 },
      ...(r.flex ? [{ problem: r.problem, config: 'w7', impl: 'FlexAttention', attentionMs: r.flex, permuteMs: 0, totalMs: r.flex, tflops: 1 }] : []),
    ]),
  };
  const dir = mkdtempSync(join(tmpdir(), 'gna-table-'));
  writeFileSync(join(dir, 'ours.json'), JSON.stringify(ours));
  writeFileSync(join(dir, 'peers.json'), JSON.stringify(peers));
  const r = spawnSync('python3', [join(root, 'native/bench/table.py'), join(dir, 'ours.json'), join(dir, 'peers.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** table.py's PASS/MISS lines for the fixture. */
export function fixture(set: string, kernel: (d: number) => string, rows: TableRow[]): string[] {
  return tableOutput(set, kernel, rows)
    .split('\n')
    .filter((l) => /^\s+(PASS|MISS)\s/.test(l))
    .map((l) => l.trim());
}
