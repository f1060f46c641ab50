// The host side of the mask preview in plain Node: the page's Content-Security-Policy, the config
// sent for a linted call, the PNG check, and the protocol's validation of both directions.
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import fc from 'fast-check';
import { configOfCall, describeShow } from '../../../extension/host/previewConfig';
import { isPng } from '../../../extension/host/previewExport';
import { contentSecurityPolicy, makeNonce, pageHtml } from '../../../extension/host/pageHtml';
import { parseHostMessage, parseWebviewMessage } from '../../../webview/protocol/preview';
import { linter } from '../lint/helpers';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const random = (bytes: Uint8Array) => {
  bytes.set(randomBytes(bytes.length));
  return bytes;
};

describe('host: the preview page', () => {
  const nonce = makeNonce(random);
  const html = pageHtml({ cspSource: CSP_SOURCE, nonce, scriptUri: `${CSP_SOURCE}/ext/dist/webview/preview.js`, styleUri: `${CSP_SOURCE}/ext/dist/webview/preview.css`, title: 'GNA mask preview', surface: 'view' });

  it('has a strict CSP: nothing by default, the script only by nonce, no inline or eval, no remote hosts', () => {
    const csp = contentSecurityPolicy(CSP_SOURCE, nonce);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [CSP_SOURCE, `'nonce-${nonce}'`]);
    assert.deepEqual(directives.get('img-src'), ['data:']);
    assert.ok(!/unsafe-inline|unsafe-eval|\*|http:/.test(csp), csp);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`), 'the CSP is in the page');
  });

  it('loads exactly one script, with the nonce, and gives the toolkit the nonce for its styles', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`) && scripts[0].includes('src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/preview.js"'));
    assert.ok(html.includes(`<meta property="csp-nonce" content="${nonce}">`));
    assert.ok(!/\sstyle=/.test(html), 'no inline style attributes');
    assert.ok(html.includes('data-surface="view"'));
  });

  it('nonces are 128 random bits in base64url, fresh each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => makeNonce(random)));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
  });

  it('escapes what it puts in attributes', () => {
    const page = pageHtml({ cspSource: CSP_SOURCE, nonce: 'n', scriptUri: 'x"><script>alert(1)</script>', styleUri: 's', title: 'a <b>', surface: 'panel' });
    assert.ok(!page.includes('<script>alert(1)'));
    assert.ok(page.includes('<title>a &lt;b&gt;</title>'));
    assert.ok(page.includes('x&quot;&gt;&lt;script&gt;'));
  });
});

describe('host: the config sent for a call', () => {
  it('spells every axis out, with the linter’s tiles, and lists nothing missing', async () => {
    const text = ['from natten import na2d', '# gna: input_size=(256, 256)', 'y = na2d(q, k, v, kernel_size=80, stride=(16, 16))'].join('\n');
    const call = (await linter()).lint(text).calls[0];
    assert.deepEqual(configOfCall(call, 'hopper', 128), {
      config: { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false], qTile: [16, 8], kvTile: [16, 8] },
      missing: [],
    });
  });

  it('sends an invalid but known config as written, so the page reports NATTEN’s error', async () => {
    const text = ['from natten import na1d', '# gna: input_size=(64,)', 'y = na1d(q, k, v, kernel_size=7, stride=9)'].join('\n');
    const call = (await linter()).lint(text).calls[0];
    assert.equal(call.check.problem, undefined);
    const { config, missing } = configOfCall(call, 'blackwell', 128);
    assert.deepEqual([config.windowSize, config.stride, config.qTile, config.kvTile, missing], [[7], [9], [256], [128], []]);
  });

  it('keeps values of the wrong length as written (the page’s checks name them)', async () => {
    const text = ['from natten import na2d', '# gna: input_size=(56, 56, 56)', 'y = na2d(q, k, v, kernel_size=(7, 7, 7), dilation=(2,))'].join('\n');
    const { config, missing } = configOfCall((await linter()).lint(text).calls[0], 'hopper', 128);
    // The linter folds a 3-axis layout's leading axis into the batch for a 2-D op (gna/rank-mismatch).
    assert.deepEqual([config.inputSize, config.windowSize, config.dilation, config.stride], [[56, 56], [7, 7, 7], [2], [1, 1]]);
    assert.deepEqual(missing, []);
    assert.equal(config.qTile.length, 2, 'tiles follow the op’s rank');
  });

  it('a partly known 2-D call: the values it gives are kept, the others listed as missing with why', async () => {
    const text = ['from natten import na2d', 'def attend(q, k, v, ks):', '    # gna: input_size=(56, 56)', '    return na2d(q, k, v, kernel_size=ks, stride=1)'].join('\n');
    const { config, missing } = configOfCall((await linter()).lint(text).calls[0], 'hopper', 128);
    assert.deepEqual(config, { inputSize: [56, 56], stride: [1, 1], dilation: [1, 1], causal: [false, false], qTile: [16, 8], kvTile: [16, 8] });
    assert.deepEqual(missing.map((m) => m.parameter), ['kernel_size']);
    assert.match(missing[0].reason, /ks/);
  });

  it('a tuple with some axes known is missing, and its reason says which axes the code gives', async () => {
    const text = ['from natten import na2d', 'def attend(q, k, v, ks):', '    # gna: input_size=(56, 56)', '    return na2d(q, k, v, kernel_size=(7, ks))'].join('\n');
    const { config, missing } = configOfCall((await linter()).lint(text).calls[0], 'hopper', 128);
    assert.equal(config.windowSize, undefined);
    assert.deepEqual(missing.map((m) => m.parameter), ['kernel_size']);
    assert.match(missing[0].reason, /^the code gives \(7, \?\); ks is a parameter of attend\(\)/);
  });

  it('a 1-D call with no layout and no kernel_size asks for both, never inventing them', async () => {
    const text = ['from natten import na1d', 'y = na1d(q, k, v, dilation=4)'].join('\n');
    const { config, missing } = configOfCall((await linter()).lint(text).calls[0], 'hopper', 128);
    assert.deepEqual([config.inputSize, config.windowSize, config.dilation, config.qTile.length], [undefined, undefined, [4], 1]);
    assert.deepEqual(missing.map((m) => m.parameter), ['input_size', 'kernel_size']);
    assert.match(missing[0].reason, /# gna: input_size/);
    assert.match(missing[1].reason, /does not give kernel_size/);
  });

  it('a 3-D call whose layout comes from the settings keeps it, and asks for is_causal', async () => {
    const text = ['from natten import na3d', 'def attend(q, k, v, causal):', '    return na3d(q, k, v, kernel_size=(3, 5, 5), is_causal=causal)'].join('\n');
    const call = (await linter()).lint(text, { defaultInputSize: [8, 16, 16] }).calls[0];
    assert.equal(call.layoutSource, 'setting');
    const { config, missing } = configOfCall(call, 'hopper', 128);
    assert.deepEqual([config.inputSize, config.windowSize, config.causal], [[8, 16, 16], [3, 5, 5], undefined]);
    assert.deepEqual(missing.map((m) => m.parameter), ['is_causal']);
  });

  it('a call configured from a dict: each variant keeps its entry’s values and lacks the same unknown one', async () => {
    const text = [
      'from natten import na2d',
      'LAYERS = {"a": dict(kernel_size=7, stride=2), "b": dict(kernel_size=9)}',
      'def attend(q, k, v, name, d):',
      '    # gna: input_size=(32, 32)',
      '    return na2d(q, k, v, **LAYERS[name], dilation=d)',
    ].join('\n');
    const calls = (await linter()).lint(text).calls;
    assert.deepEqual(calls.map((c) => c.variant), ['a', 'b']);
    const [a, b] = calls.map((c) => configOfCall(c, 'hopper', 128));
    assert.deepEqual([a.config.windowSize, a.config.stride, b.config.windowSize, b.config.stride], [[7, 7], [2, 2], [9, 9], [1, 1]]);
    for (const v of [a, b]) assert.deepEqual([v.config.dilation, v.missing.map((m) => m.parameter)], [undefined, ['dilation']]);
  });

  it('for any subset of known values, keeps exactly those and lists exactly the rest as missing', async () => {
    const lint = await linter();
    type Way = 'known' | 'unknown' | 'omitted';
    const perAxis = (rank: number) => fc.oneof(fc.integer({ min: 1, max: 9 }).map((v) => [v]), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: rank, maxLength: rank }));
    const arb = fc.integer({ min: 1, max: 3 }).chain((rank) =>
      fc.record({
        rank: fc.constant(rank),
        layout: fc.option(fc.array(fc.integer({ min: 8, max: 64 }), { minLength: rank, maxLength: rank }), { nil: undefined }),
        ways: fc.tuple(...(['kernel_size', 'stride', 'dilation', 'is_causal'] as const).map(() => fc.constantFrom<Way>('known', 'unknown', 'omitted'))),
        ints: fc.tuple(perAxis(rank), perAxis(rank), perAxis(rank)),
        causal: fc.oneof(fc.boolean().map((c) => [c]), fc.array(fc.boolean(), { minLength: rank, maxLength: rank })),
      }),
    );
    const py = (values: readonly (number | boolean)[]) => (values.length === 1 ? String(values[0]).replace(/^./, (c) => c.toUpperCase()) : `(${values.map((v) => String(v).replace(/^./, (c) => c.toUpperCase())).join(', ')})`);
    await fc.assert(
      fc.asyncProperty(arb, async ({ rank, layout, ways, ints, causal }) => {
        const params = ['kernel_size', 'stride', 'dilation', 'is_causal'] as const;
        const written = [ints[0], ints[1], ints[2], causal];
        const args = params.flatMap((p, i) => (ways[i] === 'known' ? [`${p}=${py(written[i])}`] : ways[i] === 'unknown' ? [`${p}=arg_${p}`] : []));
        const text = [
          `from natten import na${rank}d`,
          `def attend(q, k, v, ${params.map((p) => `arg_${p}`).join(', ')}):`,
          ...(layout ? [`    # gna: input_size=(${layout.join(', ')},)`] : []),
          `    return na${rank}d(q, k, v${args.map((a) => `, ${a}`).join('')})`,
        ].join('\n');
        const { config, missing } = configOfCall(lint.lint(text).calls[0], 'hopper', 128);
        const broadcast = (v: readonly (number | boolean)[]) => (v.length === 1 ? new Array(rank).fill(v[0]) : [...v]);
        const defaults = [undefined, 1, 1, false];
        const expected: Record<string, unknown> = { input_size: layout };
        params.forEach((p, i) => (expected[p] = ways[i] === 'known' ? broadcast(written[i]) : ways[i] === 'omitted' && defaults[i] !== undefined ? new Array(rank).fill(defaults[i]) : undefined));
        const fields = { input_size: config.inputSize, kernel_size: config.windowSize, stride: config.stride, dilation: config.dilation, is_causal: config.causal };
        assert.deepEqual(fields, expected, text);
        assert.deepEqual(missing.map((m) => m.parameter), Object.keys(expected).filter((k) => expected[k] === undefined), text);
        assert.equal(config.qTile.length, rank);
      }),
      { numRuns: 120 },
    );
  });

  it('says what a show is of: the call, what to enter, or no call', () => {
    const source = { kind: 'call' as const, call: { uri: 'file:///m.py', offset: 3, version: 1 }, op: 'na2d', label: 'm.py:4', layoutSource: 'none' as const };
    assert.equal(describeShow({ source }), 'na2d at m.py:4');
    assert.equal(describeShow({ source, missing: [{ parameter: 'kernel_size', reason: '' }, { parameter: 'input_size', reason: '' }] }), 'na2d at m.py:4 (enter kernel_size and input_size to draw this call)');
    assert.equal(describeShow({ source: { kind: 'free', reason: 'the cursor is not in a NATTEN call.' } }), 'no call: the cursor is not in a NATTEN call.');
  });
});

describe('host: export', () => {
  it('accepts PNG bytes only', () => {
    assert.ok(isPng(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])));
    assert.ok(!isPng(Uint8Array.from([0x89, 0x50, 0x4e, 0x47])));
    assert.ok(!isPng(new TextEncoder().encode('<svg onload=alert(1)>')));
  });
});

describe('protocol: every message is validated where it arrives', () => {
  const config = { inputSize: [8, 8], windowSize: [3, 3], stride: [1, 1], dilation: [1, 1], causal: [false, false], qTile: [4, 4], kvTile: [4, 4] };
  const call = { uri: 'file:///m.py', offset: 3, version: 2 };

  it('accepts each well-formed webview message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'writeBack', requestId: 1, call, config },
      { type: 'exportPng', requestId: 2, fileName: 'gna-8x8.png', pngBase64: 'iVBORw0KGgo=' },
      { type: 'openPanel' },
      { type: 'error', message: 'boom' },
    ]) {
      const parsed = parseWebviewMessage(m);
      assert.ok(parsed.ok, JSON.stringify(m));
      assert.deepEqual(parsed.message, m);
    }
  });

  it('refuses malformed or hostile webview messages with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [null, /./],
      [{ type: 'runShell', command: 'rm -rf /' }, /./],
      [{ type: 'writeBack', requestId: 1, call, config: { ...config, stride: ['1', 1] } }, /config\.stride/],
      [{ type: 'writeBack', requestId: -1, call, config }, /requestId/],
      [{ type: 'writeBack', requestId: 1, call: { ...call, offset: 1.5 }, config }, /call\.offset/],
      [{ type: 'exportPng', requestId: 1, fileName: '../../.bashrc.png', pngBase64: 'AAAA' }, /fileName/],
      [{ type: 'exportPng', requestId: 1, fileName: 'a.png', pngBase64: 'not base64!' }, /pngBase64/],
      [{ type: 'error', message: 'x'.repeat(9000) }, /message/],
    ];
    for (const [m, where] of bad) {
      const parsed = parseWebviewMessage(m);
      assert.ok(!parsed.ok, JSON.stringify(m).slice(0, 80));
      assert.match(parsed.error, where);
    }
  });

  it('the page checks host messages the same way', () => {
    const show = { type: 'show', source: { kind: 'free', reason: 'no editor' }, hardware: { family: 'hopper', headDim: 128 } };
    assert.ok(parseHostMessage(show).ok);
    assert.ok(parseHostMessage({ ...show, config }).ok);
    assert.ok(!parseHostMessage({ ...show, hardware: { family: 'volta', headDim: 128 } }).ok);
    assert.ok(!parseHostMessage({ ...show, source: { kind: 'call', call, op: 'na2d', label: 'm.py:1', layoutSource: 'guess' } }).ok);
    assert.ok(!parseHostMessage({ type: 'writeBackResult', requestId: 1, ok: 'yes', message: '' }).ok);
  });
});
