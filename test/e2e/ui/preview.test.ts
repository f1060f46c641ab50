// The mask preview's webview in Chromium, outside VS Code (previewPage.ts): what it draws, how
// it reacts to pointer and keyboard, what it posts, its CSP and its theme colours. Screenshots of
// each rank and theme go to the artifacts. Every wait is on a condition in the page.
import * as assert from 'assert';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { openPreviewPage, PreviewPage, showCall, Theme } from './previewPage';

const ARTIFACTS = process.env.GNA_E2E_ARTIFACTS ?? join(__dirname, '..', '..', '..', 'test-artifacts', 'e2e');

type Posted = { type: string; [key: string]: unknown };
type Rendered = { query: number[]; slice: number; keys: number; attendedCells: number; rank: number; simulated: string };

async function lastRendered(p: PreviewPage, after = 0): Promise<Rendered> {
  await p.page.waitForFunction(
    (n) => (window as unknown as { __gnaPosted: Posted[] }).__gnaPosted.filter((m) => m.type === 'rendered').length > n,
    after,
  );
  const posted = await p.posted();
  const rendered = posted.filter((m) => m.type === 'rendered');
  return rendered[rendered.length - 1].rendered as Rendered;
}

async function renderedCount(p: PreviewPage): Promise<number> {
  return (await p.posted()).filter((m) => m.type === 'rendered').length;
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

/** The canvas pixel at CSS point (x, y) of a canvas, as [r, g, b]. */
async function pixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(
    ({ selector, x, y }) => {
      const canvas = document.querySelector(selector) as HTMLCanvasElement;
      const ratio = canvas.width / canvas.clientWidth;
      return [...canvas.getContext('2d')!.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data.slice(0, 3)];
    },
    { selector, x, y },
  );
}

const FLUX = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], qTile: [16, 8], kvTile: [16, 8] };
const VIDEO = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], qTile: [2, 8, 8], kvTile: [2, 8, 8] };
const SEQUENCE = { inputSize: [4096], windowSize: [512], stride: [64], qTile: [128], kvTile: [128] };

describe('mask preview webview (standalone Chromium page)', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: process.env.GNA_E2E_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  after(async () => browser?.close());

  // Pages (and their local servers) close even when a test fails, so the run can exit.
  const open: PreviewPage[] = [];
  const openPage = async (options?: Parameters<typeof openPreviewPage>[1]) => {
    const p = await openPreviewPage(browser, options);
    open.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close().catch(() => undefined);
  });

  it('draws a call’s 2-D config with the simulator’s numbers, under its strict CSP', async () => {
    const p = await openPage();
    const before = await renderedCount(p);
    await p.send(showCall(FLUX));
    const r = await lastRendered(p, before);
    assert.deepEqual([r.rank, r.query, r.simulated], [2, [128, 128], '10.2×']);
    // 80×80 keys attended, and a 256-wide grid at one cell per token shows all of them.
    assert.equal(r.keys, 6400);
    assert.equal(r.attendedCells, 6400);
    // A short value, how it was counted in its tooltip.
    assert.equal(await text(p.page, '#number-block-sparse'), 'yes');
    assert.equal(await p.page.locator('#number-block-sparse').getAttribute('title'), 'no visited tile pair needs masking');
    assert.equal(await text(p.page, '#number-simulated'), '10.2×');
    assert.match((await p.page.locator('#number-simulated').getAttribute('title'))!, /^\d+ Q tiles × \d+ KV tiles \(busiest Q tile\)/);
    assert.match(await text(p.page, '#source'), /^na2d at model\.py:3/);
    await p.page.screenshot({ path: join(ARTIFACTS, 'preview-standalone-2d-dark.png'), fullPage: true });
    assert.deepEqual(await p.violations(), []);
  });

  it('a click on the grid selects that query; hovering previews another and leaving restores it', async () => {
    const p = await openPage();
    await p.send(showCall({ ...FLUX, inputSize: [64, 64], windowSize: [9, 9], stride: [1, 1] }));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(32, 32)');
    const box = (await p.page.locator('#grid').boundingBox())!;
    const cell = box.width / 64;
    const before = await renderedCount(p);
    await p.page.mouse.click(box.x + cell * 3.5, box.y + cell * 60.5);
    const r = await lastRendered(p, before);
    assert.deepEqual(r.query, [60, 3]);
    // Near the corner the window is clamped inward but still 9×9 keys.
    assert.equal(r.keys, 81);
    assert.equal(await text(p.page, '#query-query'), '(60, 3)');
    // The query's cell is drawn in the palette's query colour for dark themes (model/palette.ts).
    assert.deepEqual(await pixel(p.page, '#grid', cell * 3.5, cell * 60.5), [0xff, 0x7a, 0x23]);
    await p.page.mouse.move(box.x + cell * 20.5, box.y + cell * 10.5);
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(10, 20)');
    await p.page.mouse.move(box.x - 20, box.y - 20);
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(60, 3)');
  });

  it('keyboard: the grid takes focus, arrows move the query, Page Up/Down change the 3-D slice', async () => {
    const p = await openPage();
    await p.send(showCall(VIDEO));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(15, 24, 40)');
    await p.page.locator('#grid').focus();
    let count = await renderedCount(p);
    await p.page.keyboard.press('ArrowRight');
    assert.deepEqual((await lastRendered(p, count)).query, [15, 24, 41]);
    count = await renderedCount(p);
    await p.page.keyboard.press('Shift+ArrowUp');
    assert.deepEqual((await lastRendered(p, count)).query, [15, 16, 41]);
    count = await renderedCount(p);
    await p.page.keyboard.press('PageDown');
    const r = await lastRendered(p, count);
    assert.deepEqual([r.query, r.slice], [[16, 16, 41], 16]);
    assert.equal(await p.page.locator('#slice').inputValue(), '16');
    // Query frame 16 is in the stride group of frames 16–29, whose 18-frame window is frames
    // 12–29 (clamped to the axis): frame 16 shows attended keys, frame 0 none.
    assert.ok(r.attendedCells > 0);
    await p.page.locator('#slice').focus();
    count = await renderedCount(p);
    await p.page.keyboard.press('Home');
    const far = await lastRendered(p, count);
    assert.deepEqual([far.slice, far.attendedCells, far.query], [0, 0, [16, 16, 41]]);
    await p.page.screenshot({ path: join(ARTIFACTS, 'preview-standalone-3d-dark.png'), fullPage: true });
  });

  it('the legend lists every state the grid shows, empty included; stride and dilation groups are drawn on demand', async () => {
    const p = await openPage();
    await p.send(showCall({ ...FLUX, inputSize: [48, 64], windowSize: [13, 13], stride: [4, 4], dilation: [1, 2], qTile: [8, 8], kvTile: [8, 8] }));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(24, 32)');
    const legend = () => p.page.evaluate(() => [...document.querySelectorAll('#grid-legend [data-state]')].map((e) => e.getAttribute('data-state')));
    assert.deepEqual(await legend(), ['query', 'attended', 'attendedPartial', 'masked', 'empty']);
    const box = (await p.page.locator('#grid').boundingBox())!;
    const cell = box.width / 64;
    // (25, 34) shares the query's window (stride 4; dilation 2 on the columns): an attended key until asked for.
    const member = () => pixel(p.page, '#grid', cell * 34.5, cell * 25.5);
    const corner = () => pixel(p.page, '#grid', cell * 0.5, cell * 0.5);
    assert.notDeepEqual(await member(), [0xca, 0x8a, 0xa5]);
    let count = await renderedCount(p);
    await p.page.locator('#show-stride-group').click();
    await lastRendered(p, count);
    assert.deepEqual(await member(), [0xca, 0x8a, 0xa5], 'the stride group in its colour');
    assert.deepEqual(await legend(), ['query', 'strideGroup', 'attended', 'attendedPartial', 'masked', 'empty']);
    // Token (0, 0) is in the query's dilation group (even column) but far outside its window.
    const background = await corner();
    count = await renderedCount(p);
    await p.page.locator('#show-dilation-group').click();
    await lastRendered(p, count);
    assert.deepEqual(await corner(), [0x01, 0x7f, 0x69], 'the dilation group in its colour');
    assert.notDeepEqual(background, [0x01, 0x7f, 0x69]);
    assert.ok((await legend()).includes('dilationGroup'));
    await p.page.screenshot({ path: join(ARTIFACTS, 'preview-standalone-2d-groups-dark.png'), fullPage: true });
    // A config with stride and dilation 1 has no groups to show.
    await p.send(showCall({ ...FLUX, inputSize: [48, 64], windowSize: [13, 13], stride: [1, 1], qTile: [8, 8], kvTile: [8, 8] }));
    await p.page.waitForFunction(() => document.querySelector('#number-simulated')?.textContent?.length && (document.querySelector('.group-tools') as HTMLElement).hidden);
    assert.equal(await p.page.locator('#show-stride-group').isVisible(), false);
  });

  it('zooms and pans the grid with the buttons, Ctrl + wheel, a drag and the keys; a click selects in the zoomed grid', async () => {
    const p = await openPage();
    await p.send(showCall({ ...FLUX, inputSize: [48, 64], windowSize: [13, 13], stride: [4, 4], dilation: [1, 2], qTile: [8, 8], kvTile: [8, 8] }));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(24, 32)');
    const level = (pattern: string) => p.page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#zoom-level')?.textContent ?? ''), pattern);
    await level('^whole layout$');
    assert.ok(await p.page.locator('#zoom-out').evaluate((el) => (el as HTMLElement & { disabled: boolean }).disabled));
    await p.page.locator('#zoom-in').click();
    await p.page.locator('#zoom-in').click();
    // About the selected query, which stays where it was on the canvas: 12 of 48 rows, 16 of 64 columns.
    await level('^4×: rows 18–29 of 48, columns 24–39 of 64$');
    const box = (await p.page.locator('#grid').boundingBox())!;
    const cellW = box.width / 16;
    const cellH = box.height / 12;
    await p.page.mouse.click(box.x + cellW * 3.5, box.y + cellH * 2.5);
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(20, 27)');
    // Drag four cells to the left: four more columns to the right come into view; the drag selects nothing.
    await p.page.mouse.move(box.x + cellW * 8, box.y + cellH * 6);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + cellW * 6, box.y + cellH * 6, { steps: 3 });
    await p.page.mouse.move(box.x + cellW * 4, box.y + cellH * 6, { steps: 3 });
    await p.page.mouse.up();
    await level('^4×: rows 18–29 of 48, columns 28–43 of 64$');
    // Off the grid the hover preview ends: the selection is still the clicked query.
    await p.page.mouse.move(box.x - 20, box.y - 20);
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(20, 27)');
    // Keys on the focused grid: 0 shows the whole layout, + zooms about the selected query.
    await p.page.locator('#grid').focus();
    await p.page.keyboard.press('0');
    await level('^whole layout$');
    await p.page.keyboard.press('+');
    await level('^2×: rows 10–33 of 48, columns 14–45 of 64$');
    // An arrow key moving the query out of view brings the view along.
    for (const col of [35, 43, 51]) {
      await p.page.keyboard.press('Shift+ArrowRight');
      await p.page.waitForFunction((c) => document.querySelector('#query-query')?.textContent === `(20, ${c})`, col);
    }
    await level('columns 20–51 of 64$');
    // Ctrl + wheel zooms about the pointer; a plain wheel leaves the page's scrolling alone.
    await p.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.page.mouse.wheel(0, -100);
    await p.page.keyboard.down('Control');
    await p.page.mouse.wheel(0, -100);
    await p.page.keyboard.up('Control');
    // Events are handled in order: had the plain wheel zoomed too, this would be 3.1×.
    await level('^2\\.5×');
    await p.page.screenshot({ path: join(ARTIFACTS, 'preview-standalone-2d-zoomed-dark.png'), fullPage: true });
    // In the side bar, "Open large" asks the host for the editor panel.
    await p.page.locator('#open-large').click();
    await p.page.waitForFunction(() => (window as unknown as { __gnaPosted: Posted[] }).__gnaPosted.some((m) => m.type === 'openPanel'));
  });

  it('the 3-D tile-pair map aggregates whole rows of tiles into squares of whole pixels, with its legend and a caption in words', async () => {
    const p = await openPage({ width: 340 });
    await p.send(showCall({ ...VIDEO, stride: [1, 1, 1] }));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(15, 24, 40)');
    // 900 × 900 tile pairs on a ~320-pixel side: blocks of the 10 tiles of the last axis, 90 squares a side.
    const caption = await text(p.page, '#pairs-caption');
    assert.match(caption, /^Rows: 900 Q tiles \(2×8×8 queries each\); columns: 900 KV tiles \(2×8×8 keys each\), both numbered row by row through the 15×6×10 tile grid\./);
    assert.match(caption, /Each square is a block of 1×1×10 Q tiles × 1×1×10 KV tiles \(up to 100 pairs\)/);
    const size = await p.page.evaluate(() => {
      const c = document.getElementById('pairs') as HTMLCanvasElement;
      return [c.width, c.height];
    });
    assert.ok(size[0] % 90 === 0 && size[1] % 90 === 0 && size[0] >= 270, `a whole number of pixels per square: ${size}`);
    const legend = await p.page.evaluate(() => [...document.querySelectorAll('#pairs-legend [data-state]')].map((e) => e.getAttribute('data-state')));
    assert.deepEqual(legend, ['pairPartial', 'empty', 'fewer-computed']);
    await p.page.locator('#pairs').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const box = (await p.page.locator('#pairs').boundingBox())!;
    await p.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.page.waitForFunction(() => /^Q tiles \(\d+, \d+, 0–9\) × KV tiles \(\d+, \d+, 0–9\): \d+ full, \d+ partial, \d+ skipped of 100 pairs$/.test(document.querySelector('#hover-info')?.textContent ?? ''));
    assert.equal(await text(p.page, '#number-sparsity'), '91% sparse (9% attended)');
    await p.page.screenshot({ path: join(ARTIFACTS, 'preview-standalone-3d-pairs-dark.png') });
  });

  it('every control is labelled and reachable with Tab, in order', async () => {
    const p = await openPage();
    await p.send(showCall(VIDEO));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(15, 24, 40)');
    const reached: string[] = [];
    await p.page.locator('body').click({ position: { x: 1, y: 1 } });
    for (let i = 0; i < 40; i++) {
      await p.page.keyboard.press('Tab');
      // Focus inside a toolkit element's shadow root makes the element itself the active one.
      const id = await p.page.evaluate(() => document.activeElement?.id ?? '');
      if (id) reached.push(id);
    }
    for (const id of ['follow', 'export-png', 'open-panel', 'field-inputSize', 'field-windowSize', 'field-stride', 'field-dilation', 'field-qTile', 'field-kvTile', 'causal-0', 'causal-2', 'family', 'head-dim', 'preset', 'apply-stride', 'show-stride-group', 'zoom-in', 'slice', 'grid']) {
      assert.ok(reached.includes(id), `Tab reaches #${id} (reached: ${reached.join(', ')})`);
    }
    assert.ok(reached.indexOf('field-inputSize') < reached.indexOf('grid'), 'controls come before the picture');
    const unlabelled = await p.page.evaluate(() =>
      [...document.querySelectorAll('vscode-text-field, vscode-checkbox, vscode-dropdown, vscode-button, input, canvas[tabindex]')]
        .filter((el) => !(el.getAttribute('aria-label') || el.textContent?.trim() || (el.id && document.querySelector(`label[for="${el.id}"]`))))
        .map((el) => el.id || el.tagName),
    );
    assert.deepEqual(unlabelled, []);
  });

  it('a panel edit updates the live numbers and posts a write-back of exactly that config', async () => {
    const p = await openPage();
    await p.send(showCall({ ...FLUX, stride: [1, 1] }));
    await p.page.waitForFunction(() => document.querySelector('#number-simulated')?.textContent?.startsWith('6.65×'));
    assert.ok(await p.page.locator('#write-back').evaluate((el) => (el as HTMLElement & { disabled: boolean }).disabled), 'nothing to write yet');
    const stride = p.page.locator('#field-stride input');
    await stride.fill('16, 16');
    await p.page.waitForFunction(() => document.querySelector('#number-simulated')?.textContent?.startsWith('10.2×'));
    await p.page.locator('#write-back').click();
    await p.page.waitForFunction(() => (window as unknown as { __gnaPosted: Posted[] }).__gnaPosted.some((m) => m.type === 'writeBack'));
    const write = (await p.posted()).find((m) => m.type === 'writeBack')!;
    assert.deepEqual(write.call, { uri: 'file:///work/model.py', offset: 10, version: 1 });
    assert.deepEqual(write.config, { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false], qTile: [16, 8], kvTile: [16, 8] });
    await p.send({ type: 'writeBackResult', requestId: write.requestId, ok: true, message: 'Wrote stride=(16, 16).' });
    await p.page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Wrote stride=(16, 16).');
    // An answer to an older request is dropped. Messages are handled in order, so once the page
    // has reported the malformed message sent after it, the stale answer has been handled too.
    const errors = (await p.posted()).filter((m) => m.type === 'error').length;
    await p.send({ type: 'exportResult', requestId: (write.requestId as number) - 1, ok: false, message: 'stale' });
    await p.send({ type: 'not-a-message' });
    await p.page.waitForFunction((n) => (window as unknown as { __gnaPosted: Posted[] }).__gnaPosted.filter((m) => m.type === 'error').length > n, errors);
    assert.equal(await text(p.page, '#status'), 'Wrote stride=(16, 16).');
  });

  it('bad input is reported in words and never breaks the view', async () => {
    const p = await openPage();
    await p.send(showCall({ ...FLUX, inputSize: [32, 32], windowSize: [9, 9], stride: [1, 1] }));
    await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(16, 16)');
    await p.page.locator('#field-windowSize input').fill('40');
    await p.page.locator('#issues li').first().waitFor();
    assert.match(await text(p.page, '#issues'), /kernel_size \* dilation must be <= input size on every axis, got kernel_size=\(40, 40\)/);
    await p.page.locator('#field-stride input').fill('two');
    await p.page.waitForFunction(() => document.querySelector('#field-stride-error')?.textContent === '"two" is not an integer.');
    // A message that does not fit the protocol is refused and reported to the host, not acted on.
    await p.send({ type: 'show', source: { kind: 'call' }, config: { inputSize: 'huge' } });
    await p.page.waitForFunction(() => (window as unknown as { __gnaPosted: Posted[] }).__gnaPosted.some((m) => m.type === 'error'));
    const error = (await p.posted()).find((m) => m.type === 'error')!;
    assert.match(String(error.message), /does not fit the protocol/);
    // Fixing the window brings the picture back.
    await p.page.locator('#field-windowSize input').fill('9');
    await p.page.waitForFunction(() => document.querySelectorAll('#issues li').length === 0);
    await p.page.waitForFunction(() => document.querySelector('#query-keys')?.textContent === '81');
    assert.deepEqual(await p.violations(), []);
  });

  it('exports the picture as a PNG of every shown canvas', async () => {
    const p = await openPage();
    await p.send(showCall(SEQUENCE));
    await p.page.waitForFunction(() => document.querySelector('#query-keys')?.textContent === '512');
    await p.page.locator('#export-png').click();
    await p.page.waitForFunction(() => (window as unknown as { __gnaPosted: Posted[] }).__gnaPosted.some((m) => m.type === 'exportPng'));
    const message = (await p.posted()).find((m) => m.type === 'exportPng')!;
    assert.equal(message.fileName, 'gna-4096-w512-s64.png');
    const png = Buffer.from(String(message.pngBase64), 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const canvases = await p.page.evaluate(() => ['grid', 'pairs', 'matrix'].map((id) => (document.getElementById(id) as HTMLCanvasElement).height));
    assert.ok(width >= (await p.page.evaluate(() => (document.getElementById('grid') as HTMLCanvasElement).width)));
    assert.ok(height > canvases.reduce((a, b) => a + b, 0), `${height} px tall holds the sequence, the pair map and the matrix`);
    await p.page.screenshot({ path: join(ARTIFACTS, 'preview-standalone-1d-dark.png'), fullPage: true });
  });

  for (const theme of ['light', 'high-contrast'] as Theme[]) {
    it(`takes its colours from the ${theme} theme’s variables`, async () => {
      const p = await openPage({ theme });
      await p.send(showCall({ ...FLUX, inputSize: [48, 64], windowSize: [13, 13], stride: [4, 4], dilation: [1, 2] }));
      await p.page.waitForFunction(() => document.querySelector('#query-query')?.textContent === '(24, 32)');
      const box = (await p.page.locator('#grid').boundingBox())!;
      const cell = box.width / 64;
      const expected = theme === 'light' ? [0xd8, 0x2d, 0x00] : [0xff, 0x32, 0x0a];
      assert.deepEqual(await pixel(p.page, '#grid', cell * 32.5, cell * 24.5), expected, 'the query cell uses the palette’s query colour for this theme kind');
      const background = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)');
      await p.page.screenshot({ path: join(ARTIFACTS, `preview-standalone-2d-${theme}.png`), fullPage: true });
      });
  }
});
