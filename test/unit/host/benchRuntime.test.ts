// The benchmark runtime's readers: the stored history (bad entries dropped, never thrown on) and
// Import (a `gna bench --json` file, a list of them, an exported history, a no-GPU answer, junk).
import { strict as assert } from 'assert';
import { parseHistory, parseImport } from '../../../extension/host/benchRuntime';
import { historyJson } from '../../../extension/host/pure/benchHistory';
import { fixtureJson, fixtureRecord } from '../../support/benchRecords';

const META = { id: (n: number) => `new-${n}`, at: '2026-11-22T15:00:00.000Z', fileName: 'h100.json' };

describe('host: benchmark runtime (history and import)', () => {
  it('keeps the valid stored records and counts the rest', () => {
    const good = fixtureRecord('a');
    const badProblem = { ...fixtureRecord('b'), problem: { ...good.problem, stride: [99, 99] } };
    const badTiles = { ...fixtureRecord('c'), tiles: { q: [16], kv: [16] } };
    const r = parseHistory([good, 'junk', null, badProblem, badTiles, { ...good }, fixtureRecord('d')]);
    assert.deepEqual(r.records.map((x) => x.id), ['a', 'd']);
    assert.equal(r.dropped, 5, 'junk, null, an invalid stride, tiles of the wrong rank, a repeated id');
    assert.deepEqual(parseHistory(undefined), { records: [], dropped: 0 });
    assert.deepEqual(parseHistory({ not: 'a list' }), { records: [], dropped: 1 });
  });

  it('imports `gna bench --json` output, one object or a list', async () => {
    const one = await parseImport(JSON.stringify(fixtureJson()), META, new Set());
    assert.ok('records' in one);
    assert.equal(one.records.length, 1);
    const r = one.records[0];
    assert.deepEqual([r.id, r.at, r.origin, r.label], ['new-0', META.at, 'imported', '256×256, window 80×80, stride 16×16 · h100.json']);
    assert.equal(r.comparison.measured.toFixed(3), '7.784');
    assert.equal((r.dense as unknown as Record<string, unknown>).problem, undefined, 'only timing fields are kept');
    const two = await parseImport(JSON.stringify([fixtureJson(), fixtureJson()]), META, new Set());
    assert.ok('records' in two);
    assert.deepEqual(two.records.map((x) => x.label), ['256×256, window 80×80, stride 16×16 · h100.json (entry 1)', '256×256, window 80×80, stride 16×16 · h100.json (entry 2)']);
  });

  it('imports an exported history, giving fresh ids only where they clash', async () => {
    const text = historyJson([fixtureRecord('a'), fixtureRecord('b')], '2026-11-22T17:00:00.000Z');
    const r = await parseImport(text, META, new Set(['b']));
    assert.ok('records' in r);
    assert.deepEqual(r.records.map((x) => x.id), ['a', 'new-0']);
    assert.ok(r.records.every((x) => x.origin === 'imported'));
  });

  it('refuses what is not a measurement, saying why', async () => {
    const cases: [string, RegExp][] = [
      ['{', /h100\.json is not JSON/],
      ['[]', /holds no measurement/],
      [JSON.stringify({ available: false, reason: 'no usable GPU: no CUDA device', simulation: {} }), /records no measurement: no usable GPU: no CUDA device/],
      [JSON.stringify({ ...fixtureJson(), dense: { attentionMs: -1 } }), /is not `gna bench --json` output: .* at dense/],
      [JSON.stringify({ ...fixtureJson(), problem: { ...fixtureJson().problem, windowSize: [300, 80] } }), /kernel_size \* dilation must be <= input size/],
      [JSON.stringify({ format: 'gna-studio.benchmark-history', version: 2, records: [] }), /not a GNA Studio benchmark history/],
      [JSON.stringify([fixtureJson(), { available: true }]), /\(entry 2\) is not `gna bench --json` output/],
      // A zero time would make the measured speedup Infinity, after which the report page refuses every message.
      [JSON.stringify({ ...fixtureJson(), gna: { ...fixtureJson().gna, attentionMs: 0 } }), /records a gna kernel time of 0 ms, which no run measures/],
      [JSON.stringify({ ...fixtureJson(), dense: { ...fixtureJson().dense, attentionMs: 0 } }), /records a dense kernel time of 0 ms/],
      // 1e400 parses to Infinity; the schema refuses it like any non-finite number.
      [JSON.stringify({ ...fixtureJson(), gna: { ...fixtureJson().gna, tflops: 1 } }).replace('"tflops":1', '"tflops":1e400'), /is not `gna bench --json` output: .* at gna\.tflops/],
      // A positive but denormal time still divides to Infinity: the built record must pass the record schema.
      [JSON.stringify({ ...fixtureJson(), gna: { ...fixtureJson().gna, attentionMs: 5e-324 } }), /gives numbers a benchmark record cannot hold: .* at comparison\./],
      [JSON.stringify(new Array(201).fill(fixtureJson())), /holds 201 measurements; at most 200/],
    ];
    for (const [text, error] of cases) {
      const r = await parseImport(text, META, new Set());
      assert.ok('error' in r, text.slice(0, 60));
      assert.match(r.error, error);
    }
  });
});
