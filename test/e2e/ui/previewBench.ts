// Redraw timings of the mask preview in Chromium (npm run bench:preview): the webview bundle in
// a plain page (previewPage.ts), real pointer and key input through Playwright, times read from
// the page's own performance entries:
//   gna-preview:frame  one hover/selection frame: compose the query's picture and draw it;
//   gna-preview:model  one config change: simulate, recommend, tile-pair map, matrix;
//   longtask           main-thread tasks over 50 ms (the view would stutter);
//   key latency        from a keydown's timestamp to the end of the frame that drew it (a rAF
//                      queued after the preview's own, so it runs once the picture is drawn).
// Writes bench/results/preview.md (or the path in argv[2]) with the machine and date.
import { execSync } from 'child_process';
import { cpus, loadavg, totalmem } from 'os';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { chromium, Page } from 'playwright-core';
import { openPreviewPage, showCall } from './previewPage';

interface Case {
  readonly name: string;
  readonly config: Parameters<typeof showCall>[0];
  readonly simulated: string;
}

const CASES: Case[] = [
  { name: '256×256, window 80×80, stride 1, tiles 16×8', config: { inputSize: [256, 256], windowSize: [80, 80], qTile: [16, 8], kvTile: [16, 8] }, simulated: '6.65×' },
  { name: '256×256, window 80×80, stride 16×16, tiles 16×8', config: { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], qTile: [16, 8], kvTile: [16, 8] }, simulated: '10.2×' },
  { name: '30×48×80, window 18×24×24, stride 1, tiles 2×8×8', config: { inputSize: [30, 48, 80], windowSize: [18, 24, 24], qTile: [2, 8, 8], kvTile: [2, 8, 8] }, simulated: '3.60×' },
  { name: '30×48×80, window 18×24×24, stride 16×8×8, tiles 2×8×8', config: { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], qTile: [2, 8, 8], kvTile: [2, 8, 8] }, simulated: '11.1×' },
  { name: '32768 (1-D), window 2048, stride 1, tiles 128', config: { inputSize: [32768], windowSize: [2048], qTile: [128], kvTile: [128] }, simulated: '15.1×' },
  // Far beyond the display: drawn aggregated, the stride search skipped.
  { name: '16,777,216 (1-D), window 4096, stride 1, tiles 128', config: { inputSize: [2 ** 24], windowSize: [4096], qTile: [128], kvTile: [128] }, simulated: '3972×' },
];

interface Stats {
  n: number;
  median: number;
  p95: number;
  max: number;
}

function stats(values: number[]): Stats {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * (v.length - 1)))];
  return { n: v.length, median: at(0.5), p95: at(0.95), max: v[v.length - 1] ?? NaN };
}

async function entries(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

async function clearEntries(page: Page): Promise<void> {
  await page.evaluate(() => {
    performance.clearMeasures();
    (window as unknown as { __longTasks: number[]; __keyLatency: number[] }).__longTasks = [];
    (window as unknown as { __keyLatency: number[] }).__keyLatency = [];
  });
}

async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

interface Row {
  surface: string;
  name: string;
  load: Stats;
  loadFrame: number;
  hover: Stats;
  keys: Stats;
  keyLatency: Stats;
  longTasks: number[];
  slices?: Stats;
}

async function measure(page: Page, send: (m: unknown) => Promise<void>, c: Case, surface: string): Promise<Row> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __keyLatency: number[]; __observing?: boolean };
    w.__longTasks = [];
    w.__keyLatency = [];
    if (w.__observing) return;
    w.__observing = true;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask' });
    // Bubbling to window runs after the grid's handler, so this rAF runs after the preview's frame.
    window.addEventListener('keydown', (e) => {
      const stamp = e.timeStamp;
      requestAnimationFrame(() => w.__keyLatency.push(performance.now() - stamp));
    });
  });
  // Load the config three times (the first one warms the code up) and time each.
  const loads: number[] = [];
  let loadFrame = 0;
  for (let i = 0; i < 3; i++) {
    await send(showCall({ ...c.config, inputSize: [...c.config.inputSize] }));
    await page.waitForFunction((v) => document.querySelector('#number-simulated')?.textContent?.startsWith(v), c.simulated);
    await nextFrames(page);
    loads.push(...(await entries(page, 'gna-preview:model')));
    const frames = await entries(page, 'gna-preview:frame');
    loadFrame = frames[frames.length - 1] ?? 0;
    // Back to a tiny config so the next load is a real change.
    if (i < 2) {
      await send(showCall({ inputSize: [16, 16], windowSize: [3, 3], qTile: [16, 8], kvTile: [16, 8] }));
      await page.waitForFunction(() => document.querySelector('#query-keys')?.textContent === '9');
    }
    await clearEntries(page);
  }
  const longDuringLoad = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());

  // Hover: real pointer moves over the token grid, each waited for its frame.
  // A key the page does not handle (Arrow Down on a 1-D sequence) scrolls it: bring the grid back.
  await page.locator('#grid').scrollIntoViewIfNeeded();
  const box = (await page.locator('#grid').boundingBox())!;
  await clearEntries(page);
  const steps = 120;
  for (let i = 0; i < steps; i++) {
    const t = (i + 0.5) / steps;
    await page.mouse.move(box.x + box.width * t, box.y + box.height * (c.config.inputSize.length === 1 ? 0.5 : (0.3 + 0.4 * Math.sin(i / 7) ** 2)));
    await nextFrames(page);
  }
  const hover = await entries(page, 'gna-preview:frame');

  // Keyboard: arrow keys on the focused grid (selection changes, Event Timing to next paint).
  await page.mouse.move(0, 0);
  await page.locator('#grid').focus();
  await clearEntries(page);
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(i % 2 ? 'ArrowRight' : c.config.inputSize.length === 1 ? 'ArrowLeft' : 'ArrowDown');
    await nextFrames(page);
  }
  const keys = await entries(page, 'gna-preview:frame');
  const keyLatency = stats(await page.evaluate(() => (window as unknown as { __keyLatency: number[] }).__keyLatency.slice()));

  let slices: Stats | undefined;
  if (c.config.inputSize.length === 3) {
    await clearEntries(page);
    for (let i = 0; i < c.config.inputSize[0] - 1; i++) {
      await page.keyboard.press(i < 15 ? 'PageDown' : 'PageUp');
      await nextFrames(page);
    }
    slices = stats(await entries(page, 'gna-preview:frame'));
  }
  const longAfter = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());
  return {
    surface,
    name: c.name,
    load: stats(loads),
    loadFrame,
    hover: stats(hover),
    keys: stats(keys),
    keyLatency,
    longTasks: [...longDuringLoad, ...longAfter],
    ...(slices ? { slices } : {}),
  };
}

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '–');

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '..', '..', '..', 'bench', 'results', 'preview.md');
  const browser = await chromium.launch({
    executablePath: process.env.GNA_E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const loadAtStart = loadavg()[0];
  const rows: Row[] = [];
  // The side-bar width (a 388 px canvas) and a wide editor panel (760 px canvas, one cell per token).
  for (const [surface, width] of [
    ['side bar, 420 px', 420],
    ['panel, 1280 px', 1280],
  ] as const) {
    const p = await openPreviewPage(browser, { width, height: 1600, surface: surface.startsWith('panel') ? 'panel' : 'view' });
    for (const c of CASES) {
      rows.push(await measure(p.page, p.send, c, surface));
      process.stderr.write(`measured ${surface}: ${c.name}\n`);
    }
    const violations = await p.violations();
    if (violations.length > 0) throw new Error(`CSP violations: ${violations.join(', ')}`);
    await p.close();
  }
  const version = browser.version();
  await browser.close();

  const date = new Date().toISOString().slice(0, 10);
  let commit = 'unknown commit';
  try {
    commit = `commit ${execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim()}`;
  } catch {
    // Not a git checkout: the date alone identifies the run.
  }
  const lines = [
    `# Mask preview redraw times, ${date}`,
    '',
    'Reproduce: `npm run bench:preview` (needs the e2e kit: `npm run test:e2e:setup`). The webview bundle runs in a',
    'plain page with a fake VS Code API (test/e2e/ui/previewPage.ts); input is real Playwright pointer and key events.',
    '',
    `Measured at ${commit}. Machine: ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${Math.round(totalmem() / 2 ** 30)} GiB, no GPU;`,
    `Chromium ${version} headless with --disable-gpu (software canvas), device pixel ratio 1. The cores are shared with`,
    `other engineers' builds: 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
    '(wall-clock times, and long tasks, grow when the 2 cores are oversubscribed).',
    '',
    '- **frame**: one redraw after a hover or key press: compose the selected query\'s picture (per-axis states, tile',
    '  kinds, one pass over the display cells) and draw the grid, strip, tile-pair map and (1-D) attention matrix.',
    '  Goal: under 16 ms for 256×256.',
    '- **config**: a new config (simulation, stride recommendation, tile-pair map, matrix); median of 3 loads.',
    '- **key latency**: from an arrow key\'s event timestamp to the end of the animation frame that drew it (before',
    '  compositing). Mostly the wait for the next 60 Hz frame; the preview\'s own work is the key frame column.',
    '- **long tasks**: main-thread tasks over 50 ms during loads and interaction (a frozen view would show many).',
    '',
    '| surface | config | hover frame median / p95 / max | key frame median / p95 | key latency median / p95 | 3-D slice frame median / max | config median / max | long tasks |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.surface} | ${r.name} | ${ms(r.hover.median)} / ${ms(r.hover.p95)} / ${ms(r.hover.max)} (n=${r.hover.n}) | ` +
        `${ms(r.keys.median)} / ${ms(r.keys.p95)} | ${ms(r.keyLatency.median)} / ${ms(r.keyLatency.p95)} | ` +
        `${r.slices ? `${ms(r.slices.median)} / ${ms(r.slices.max)}` : '–'} | ${ms(r.load.median)} / ${ms(r.load.max)} | ` +
        `${r.longTasks.length === 0 ? 'none' : r.longTasks.map((t) => t.toFixed(0)).join(', ') + ' ms'} |`,
    ),
    '',
  ];
  writeFileSync(out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
