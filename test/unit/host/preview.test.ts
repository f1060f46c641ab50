// The host side of the mask preview in plain Node: the page's Content-Security-Policy, the config
// sent for a linted call, the PNG check, and the protocol's validation of both directions.
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import { configOfCall } from '../../../extension/host/previewConfig';
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
  it('spells every axis out, with the linter’s tiles', async () => {
    const text = ['from natten import na2d', '# gna: input_size=(256, 256)', 'y = na2d(q, k, v, kernel_size=80, stride=(16, 16))'].join('\n');
    const call = (await linter()).lint(text).calls[0];
    assert.deepEqual(configOfCall(call, 'hopper', 128), {
      inputSize: [256, 256],
      windowSize: [80, 80],
      stride: [16, 16],
      dilation: [1, 1],
      causal: [false, false],
      qTile: [16, 8],
      kvTile: [16, 8],
    });
  });

  it('sends an invalid but known config as written, so the page reports NATTEN’s error', async () => {
    const text = ['from natten import na1d', '# gna: input_size=(64,)', 'y = na1d(q, k, v, kernel_size=7, stride=9)'].join('\n');
    const call = (await linter()).lint(text).calls[0];
    assert.equal(call.check.problem, undefined);
    const config = configOfCall(call, 'blackwell', 128);
    assert.ok(typeof config !== 'string');
    assert.deepEqual([config.windowSize, config.stride, config.qTile, config.kvTile], [[7], [9], [256], [128]]);
  });

  it('says which values it cannot follow instead of guessing', async () => {
    const text = ['from natten import na2d', 'y = na2d(q, k, v, kernel_size=ks)'].join('\n');
    const call = (await linter()).lint(text).calls[0];
    const said = configOfCall(call, 'hopper', 128);
    assert.equal(typeof said, 'string');
    assert.match(said as string, /input_size \(add a `# gna: input_size=…` annotation\), kernel_size/);
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
