// The benchmark report: its protocol (validated both ways), its view model (modes, headline,
// table, chart, selection) and its page (strict CSP, fresh nonce, escaped attributes).
import { strict as assert } from 'assert';
import { makeNonce, pageHtml } from '../../../extension/host/pageHtml';
import { parseReportHostMessage, parseReportWebviewMessage } from '../../../webview/protocol/report';
import { buildView, effectiveSelection, historyRows, MAX_COMPARE, niceScale, when } from '../../../webview/report/model';
import { fixtureRecord, sweepRecords } from '../../support/benchRecords';

const FLUX = { inputSize: [256, 256], windowSize: [80, 80], stride: [1, 1], dilation: [1, 1], causal: [false, false] };

describe('report: protocol', () => {
  it('accepts what the host sends, with records checked by the history schema', () => {
    const show = { type: 'show', records: [fixtureRecord()], focus: ['r1'], canRun: true, status: 'Running x' };
    assert.ok(parseReportHostMessage(show).ok);
    const bad = parseReportHostMessage({ ...show, records: [{ ...fixtureRecord(), problem: { ...FLUX, stride: [90, 1] } }] });
    assert.ok(!bad.ok && /stride must be <= kernel_size.*at records\.0\.problem/.test(bad.error), JSON.stringify(bad));
    assert.ok(!parseReportHostMessage({ type: 'show', records: [] }).ok, 'canRun is required');
    assert.ok(parseReportHostMessage({ type: 'actionResult', requestId: 3, ok: true, message: 'Saved' }).ok);
  });

  it('accepts only well-formed page messages', () => {
    assert.ok(parseReportWebviewMessage({ type: 'ready' }).ok);
    assert.ok(parseReportWebviewMessage({ type: 'sweep', requestId: 1, id: 'r1', kind: 'window' }).ok);
    assert.ok(parseReportWebviewMessage({ type: 'export', requestId: 2, format: 'csv', ids: [] }).ok);
    const rejected = [
      { type: 'sweep', requestId: 1, id: 'r1', kind: 'diagonal' },
      { type: 'export', requestId: 2, format: 'xlsx', ids: [] },
      { type: 'delete', requestId: 3, ids: [] },
      { type: 'rerun', requestId: -1, id: 'r1' },
      { type: 'runShell', command: 'rm -rf /' },
      'ready',
      null,
    ];
    for (const m of rejected) assert.ok(!parseReportWebviewMessage(m).ok, JSON.stringify(m));
  });
});

describe('report: view model', () => {
  const one = fixtureRecord('a');
  const sweep = sweepRecords([1, 2, 4, 8, 16].map((s) => ({ ...FLUX, stride: [s, s] })));
  const history = [...[...sweep].reverse(), one];

  it('shows the newest run when nothing is selected, and drops unknown ids', () => {
    assert.deepEqual(effectiveSelection(history, []), [history[0].id]);
    assert.deepEqual(effectiveSelection(history, ['gone', 'a']), ['a']);
    assert.deepEqual(effectiveSelection([], ['a']), []);
    const many = Array.from({ length: 12 }, (_, i) => fixtureRecord(`m${i}`));
    assert.equal(effectiveSelection(many, many.map((r) => r.id)).length, MAX_COMPARE);
    assert.equal(buildView([], []).mode, 'empty');
  });

  it('one run: the headline, every metric and bars of the bounds', () => {
    const v = buildView(history, ['a']);
    assert.equal(v.mode, 'single');
    assert.equal(v.headline, '7.78× measured vs 10.2× simulated (76% of the bound)');
    assert.equal(v.subtitle, 'na2d 256×256, window 80×80, stride 16×16 · flux.py:20 — NVIDIA H100 80GB HBM3 (sm_90, 132 SMs), portable mma.sync');
    // Metric: its cell, one a line.
    const expected = `
      dense kernel: 131.6 ms
      GNA kernel: 16.91 ms
      token permutation: 0.980 ms
      with token permutation: 7.36×
      tile-pair bound: 10.2×
      FLOP-wise bound: 10.2×
      TFLOP/s on visited tiles: 305 (dense 401)
      tile pairs visited: 25,600 of 262,144, 25,600 full (block-sparse)
      GPU: NVIDIA H100 80GB HBM3 (sm_90, 132 SMs)
      driver / CUDA runtime: 13.0 / 13.0
      kernel variant: portable mma.sync
      measured: 2026-11-22 15:04 UTC (imported)
    `.trim().split('\n').map((line) => line.trim());
    const metricOf = (line: string) => line.slice(0, line.indexOf(': '));
    assert.deepEqual(expected.map((line) => `${metricOf(line)}: ${v.rows.find((r) => r.metric === metricOf(line))?.cells[0]}`), expected);
    assert.deepEqual(v.chart.series.map((s) => [s.role, s.values[0].toFixed(2)]), [
      ['measured', '7.78'],
      ['measuredWithPermute', '7.36'],
      ['simulated', '10.24'],
      ['tilePair', '10.24'],
      ['flop', '10.24'],
    ]);
    assert.match(v.chartText, /measured 7\.78×, with permutation 7\.36×, simulated 10\.2×/);
  });

  it('a sweep point shows its whole sweep as a series, measured vs simulated', () => {
    const v = buildView(history, [sweep[2].id]);
    assert.equal(v.mode, 'sweep');
    assert.deepEqual(v.chart.labels, ['1×1', '2×2', '4×4', '8×8', '16×16']);
    assert.equal(v.chart.kind, 'series');
    // Cost per visited pair: measured is the tile-pair bound (7.51× at stride 1, 10.24× at 16).
    assert.deepEqual(v.chart.series.find((s) => s.role === 'measured')!.values.map((x) => x.toFixed(2)).filter((_, i) => i === 0 || i === 4), ['7.51', '10.24']);
    assert.equal(v.headline, 'Stride sweep of 5 configs: measured 7.51×–10.2×, simulated 6.65×–10.2×');
    assert.equal(v.columns.length, 5);
    const partial = buildView(history.filter((r) => r.id !== sweep[4].id), [sweep[0].id]);
    assert.match(partial.headline, /\(1 point deleted\)$/);
  });

  it('several runs side by side: one column each, measured and simulated bars', () => {
    const v = buildView(history, ['a', sweep[0].id]);
    assert.equal(v.mode, 'compare');
    assert.equal(v.columns.length, 2);
    assert.ok(v.rows.every((r) => r.cells.length === 2));
    assert.deepEqual(v.chart.series.map((s) => s.role), ['measured', 'simulated']);
    assert.match(v.headline, /^Comparing 2 runs: measured 7\.51×–7\.78×, simulated 6\.65×–10\.2×$/);
  });

  it('lists the history, marking sweep points', () => {
    const rows = historyRows(history);
    assert.equal(rows.length, 6);
    assert.equal(rows[0].sweep, 'stride sweep 5/5');
    assert.deepEqual([rows[5].measured, rows[5].simulated, rows[5].share, rows[5].gpu], ['7.78×', '10.2×', '76%', 'NVIDIA H100 80GB HBM3']);
    assert.equal(when('not a date'), 'not a date');
  });

  it('picks round axis scales', () => {
    assert.deepEqual(niceScale(10.24), { top: 12.5, step: 2.5 });
    assert.deepEqual(niceScale(7.78), { top: 8, step: 2 });
    assert.deepEqual(niceScale(0), { top: 1, step: 0.2 });
    assert.deepEqual(niceScale(Infinity), { top: 1, step: 0.2 });
  });
});

describe('report: page', () => {
  it('has a strict CSP: nothing by default, our script by nonce, styles and fonts from the extension', () => {
    const html = pageHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x/report.js', styleUri: 'https://x/report.css', title: 'GNA benchmark report' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/report\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<title>GNA benchmark report<\/title>/);
    assert.doesNotMatch(html, /data-surface/, 'only the preview has a surface');
  });

  it('escapes what goes into attributes, and makes a fresh 128-bit nonce', () => {
    const html = pageHtml({ cspSource: 'x', nonce: 'n"><script>', scriptUri: 'a"b', styleUri: "c'd", title: 'GNA benchmark report' });
    assert.doesNotMatch(html, /n"><script>/);
    assert.match(html, /src="a&quot;b"/);
    let seed = 1;
    const nonce = makeNonce((bytes) => bytes.map(() => (seed = (seed * 73 + 11) % 256)));
    assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
  });
});
