import { strict as assert } from 'assert';
import { formatTuple } from '../../../extension/core/problem';
import { UNKNOWN } from '../../../extension/core/validate';
import { callHoverMarkdown, callsHoverMarkdown, escapeMarkdown, HoverContext, LISTED_CONFIGS } from '../../../extension/host/pure/hoverMarkdown';
import { parseCallTarget } from '../../../extension/host/pure/calls';
import { callReport } from './callFixture';

const CONTEXT: HoverContext = { uri: 'file:///ws/flux.py', family: 'hopper', headDim: 128, trusted: true };
// GNA-SPEC §6: FLUX-4K, window 80×80, on Hopper's 16×8 tiles.
const FLUX = { rank: 2, inputSize: [256, 256], windowSize: [80, 80] };

/** The ` · `-separated parts of the hover's line that starts with `start`. */
function line(markdown: string, start: string): string[] {
  const found = markdown.split('\n').find((l) => l.startsWith(start));
  assert.ok(found, `a line starting "${start}" in:\n${markdown}`);
  return found.split(' · ');
}

function commandArgs(markdown: string, command: string): unknown {
  const m = new RegExp(`\\(command:${command.replace('.', '\\.')}\\?([^)]+)\\)`).exec(markdown);
  assert.ok(m, `a ${command} link`);
  return JSON.parse(decodeURIComponent(m[1]))[0];
}

describe('host: hover markdown', () => {
  it('shows the resolved config and tiles in one line', () => {
    const md = callHoverMarkdown(callReport({ ...FLUX, stride: [16, 1], causal: [true, false] }, { op: 'na2d' }), CONTEXT);
    assert.match(md, /^\*\*GNA `na2d`\*\* \(2-D\)/);
    assert.deepEqual(line(md, 'layout '), [
      'layout 256×256 (from the `# gna:` annotation)',
      'window 80×80',
      'stride 16×1',
      'dilation 1×1',
      'causal on axis 0',
      'Q tile 16×8',
      'KV tile 16×8 (hopper preset, head dim 128)',
    ]);
    assert.ok(line(callHoverMarkdown(callReport(FLUX), CONTEXT), 'layout ').includes('not causal'));
    assert.ok(line(callHoverMarkdown(callReport({ ...FLUX, causal: true }), CONTEXT), 'layout ').includes('causal'));
  });

  it('shows the other bounds of the simulator in one line (GNA-SPEC §6, FLUX stride 1)', () => {
    const call = callReport(FLUX);
    const md = callHoverMarkdown(call, CONTEXT);
    assert.match(md, /— 90% sparse \(10% attended\) · 6\.65× simulated speedup$/m);
    const bounds = line(md, 'tile-pair bound');
    assert.deepEqual(bounds.slice(0, 2), ['tile-pair bound 7.51× (34,884 of 262,144 tile pairs, 17,600 partly masked)', 'FLOP-wise bound 10.2×']);
    assert.match(bounds[2], /^\d+% of computed FLOPs wasted$/);
    // The backward pass and the training step beside the forward.
    const t = call.training!;
    assert.deepEqual(bounds.slice(3), [`backward ${t.backward.simulated.toFixed(2)}×`, `training step ${t.training.simulated.toFixed(2)}×`]);
  });

  it('is short: the hover of a single call is at most 6 paragraphs and no table', () => {
    for (const raw of [FLUX, { ...FLUX, stride: [16, 16] }, { rank: 2, inputSize: [56, 56], windowSize: [7, 7], dilation: [8, 8] }]) {
      const md = callHoverMarkdown(callReport(raw), CONTEXT);
      assert.ok(md.split('\n\n').length <= 6, md);
      assert.doesNotMatch(md, /^\|/m, 'no table');
    }
  });

  it('recommends a stride when the current one is not at the floor', () => {
    const call = callReport(FLUX);
    assert.equal(call.recommendation!.atFloor, false);
    const md = callHoverMarkdown(call, CONTEXT);
    assert.ok(md.includes(`Recommended stride **${formatTuple(call.recommendation!.stride)}**`), md);
    assert.match(md, /\(now 6\.65×\)/);
  });

  it('marks a perfectly block-sparse config and says the stride is at the floor (FLUX stride 16)', () => {
    const md = callHoverMarkdown(callReport({ ...FLUX, stride: [16, 16] }), CONTEXT);
    assert.match(md, /— 90% sparse \(10% attended\) · 10\.2× simulated speedup · block-sparse$/m);
    assert.equal(line(md, 'tile-pair bound')[0], 'tile-pair bound 10.2× (25,600 of 262,144 tile pairs, 0 partly masked)');
    assert.match(md, /already gives the busiest Q tile the fewest KV tiles/);
  });

  it('links to preview and benchmark with a checked config', () => {
    const md = callHoverMarkdown(callReport({ ...FLUX, stride: [16, 16] }, { start: 12 }), CONTEXT);
    for (const command of ['gna.previewMask', 'gna.benchmarkConfig']) {
      const target = parseCallTarget(commandArgs(md, command));
      assert.notEqual(typeof target, 'string');
      assert.deepEqual(target, {
        uri: CONTEXT.uri,
        offset: 12,
        op: 'na2d',
        problem: { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] },
        tiles: { q: [16, 8], kv: [16, 8] },
      });
    }
  });

  it('offers no benchmark link in an untrusted workspace, and says why', () => {
    const md = callHoverMarkdown(callReport(FLUX), { ...CONTEXT, trusted: false });
    assert.ok(!md.includes('command:gna.benchmarkConfig'));
    assert.match(md, /command:gna\.previewMask/);
    assert.match(md, /needs a trusted workspace/);
  });

  it('lists the check errors of an invalid config, without links or bounds', () => {
    const md = callHoverMarkdown(callReport({ ...FLUX, stride: [90, 1] }), CONTEXT);
    assert.ok(line(md, 'layout ').includes('stride 90×1'));
    assert.match(md, /⚠ stride must be \\<= kernel\\_size/);
    assert.ok(!md.includes('command:'));
    assert.ok(!md.includes('tile-pair bound'));
  });

  it('shows unresolved values as ? and lists exactly the missing values with a link that annotates them', () => {
    const md = callHoverMarkdown(
      callReport({ rank: 2, inputSize: undefined, windowSize: [UNKNOWN, 7], stride: 2 }, { layoutSource: 'none' }),
      CONTEXT,
    );
    assert.deepEqual(line(md, 'layout ').slice(0, 4), ['layout ?×? (unknown)', 'window ?×7', 'stride 2×2', 'dilation 1×1']);
    // Exactly what is missing, and the link that annotates it.
    assert.deepEqual([...md.matchAll(/^- `(\w+)`:/gm)].map((m) => m[1]), ['kernel_size', 'input_size']);
    assert.match(md, /\[Add `# gna: kernel_size=…, input_size=…`\]\(command:gna\.addAnnotation\?/);
  });

  it('says which values came from the # gna: annotation', () => {
    const md = callHoverMarkdown({ ...callReport(FLUX), annotated: ['kernel_size', 'dilation'] }, CONTEXT);
    assert.match(md, /`kernel_size`, `dilation` from the `# gna:` annotation \(the code does not say them\)\./);
    assert.ok(!callHoverMarkdown(callReport(FLUX), CONTEXT).includes('from the `# gna:` annotation ('));
  });

  it('shows the unknown marker of another bundle as ? too', () => {
    const foreignUnknown = Symbol('unknown');
    const md = callHoverMarkdown(callReport({ rank: 2, inputSize: [64, 64], windowSize: [7, 7], stride: [foreignUnknown, 1] }), CONTEXT);
    assert.ok(line(md, 'layout ').includes('stride ?×1'));
  });

  it('names the settings pattern that gave the layout', () => {
    const md = callHoverMarkdown(callReport(FLUX, { layoutSource: 'setting' }), { ...CONTEXT, layoutPattern: '**/flux_*.py' });
    assert.match(md, /^layout 256×256 \(from the `gna\.inputSize` setting, pattern `\*\*\/flux_\*\.py`\)/m);
  });

  it('says why a valid config is not simulated when the family has no preset for the head dim', () => {
    const md = callHoverMarkdown(callReport(FLUX, { family: 'blackwell', headDim: 256 }), { ...CONTEXT, family: 'blackwell', headDim: 256 });
    assert.match(md, /Not simulated: no blackwell tile preset for head dim 256/);
    assert.match(md, /command:gna\.previewMask/);
  });

  it('gives the first config of a dict-configured call in full, the others a line each, then a count', () => {
    const configs = Array.from({ length: LISTED_CONFIGS + 3 }, (_, i) => callReport({ ...FLUX, stride: i === 0 ? [16, 16] : [1, 1] }, { variant: `blocks.${i}` }));
    const md = callsHoverMarkdown(configs, CONTEXT);
    const sections = md.split('\n\n---\n\n');
    assert.equal(sections.length, 2);
    assert.match(sections[0], /^\*\*GNA `na2d`\*\* · blocks\.0 \(2-D\) — 90% sparse \(10% attended\) · 10\.2× simulated speedup · block-sparse/);
    assert.match(sections[1], /^\*\*7 configs\*\* of this call/);
    const others = sections[1].split('\n').filter((l) => l.startsWith('- '));
    assert.equal(others.length, LISTED_CONFIGS + 1);
    assert.match(others[0], /^- \*\*blocks\.1\*\* — 90% sparse \(10% attended\) · 6\.65× simulated speedup · \[Preview\]\(command:gna\.previewMask\?/);
    assert.equal(others[LISTED_CONFIGS], '- and 2 more (the code lens above the call picks any of them)');
    // Each line's link previews its own config.
    assert.equal((commandArgs(others[0], 'gna.previewMask') as { variant: string }).variant, 'blocks.1');
  });

  it('escapes markdown in free text', () => {
    assert.equal(escapeMarkdown('a*b_c|d'), 'a\\*b\\_c\\|d');
  });
});
