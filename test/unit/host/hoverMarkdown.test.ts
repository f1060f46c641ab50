import { strict as assert } from 'assert';
import { formatTuple } from '../../../extension/core/problem';
import { UNKNOWN } from '../../../extension/core/validate';
import { callHoverMarkdown, callsHoverMarkdown, escapeMarkdown, HoverContext } from '../../../extension/host/pure/hoverMarkdown';
import { parseCallTarget } from '../../../extension/host/pure/calls';
import { callReport } from './callFixture';

const CONTEXT: HoverContext = { uri: 'file:///ws/flux.py', family: 'hopper', headDim: 128, trusted: true };
// GNA-SPEC §6: FLUX-4K, window 80×80, on Hopper's 16×8 tiles.
const FLUX = { rank: 2, inputSize: [256, 256], windowSize: [80, 80] };

/** The rows of the markdown table whose first cell is `label`. */
function row(markdown: string, label: string): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${label} |`));
  assert.ok(line, `a row "${label}" in:\n${markdown}`);
  return line.split('|').slice(2, -1).map((c) => c.trim());
}

function commandArgs(markdown: string, command: string): unknown {
  const m = new RegExp(`\\(command:${command.replace('.', '\\.')}\\?([^)]+)\\)`).exec(markdown);
  assert.ok(m, `a ${command} link`);
  return JSON.parse(decodeURIComponent(m[1]))[0];
}

describe('host: hover markdown', () => {
  it('shows the resolved config and tiles per axis', () => {
    const md = callHoverMarkdown(callReport({ ...FLUX, stride: [16, 1], causal: [true, false] }, { op: 'na2d' }), CONTEXT);
    assert.match(md, /^\*\*GNA `na2d`\*\* \(2-D\)/);
    assert.deepEqual(row(md, ''), ['axis 0', 'axis 1']);
    assert.deepEqual(row(md, 'token layout (input_size)'), ['256', '256']);
    assert.deepEqual(row(md, 'window (kernel_size)'), ['80', '80']);
    assert.deepEqual(row(md, 'stride'), ['16', '1']);
    assert.deepEqual(row(md, 'dilation'), ['1', '1']);
    assert.deepEqual(row(md, 'causal (is_causal)'), ['True', 'False']);
    assert.deepEqual(row(md, 'Q tile'), ['16', '8']);
    assert.deepEqual(row(md, 'KV tile'), ['16', '8']);
    assert.match(md, /Tiles: Q 16×8 · KV 16×8 \(hopper preset, head dim 128, multi-dimensional tiling\)/);
  });

  it('shows every bound of the simulator (GNA-SPEC §6, FLUX stride 1)', () => {
    const md = callHoverMarkdown(callReport(FLUX), CONTEXT);
    assert.match(md, /— 90% sparse \(10% attended\) · 6\.65× simulated speedup$/m);
    assert.deepEqual(row(md, 'simulated speedup').slice(0, 1), ['6.65×']);
    assert.deepEqual(row(md, 'tile-pair bound'), ['7.51×', '34,884 of 262,144 tile pairs visited, 17,600 of them partly masked']);
    assert.deepEqual(row(md, 'FLOP-wise bound').slice(0, 1), ['10.2×']);
    assert.deepEqual(row(md, 'block-sparse'), ['no', '17,600 tile pairs need per-element masking']);
    assert.ok(row(md, 'wasted FLOPs')[0].endsWith('%'));
  });

  it('says why the headline differs from the GNA paper\'s ratio where padding and dilation groups add Q tiles (DiNAT on Ampere)', () => {
    const dinat = callReport({ rank: 2, inputSize: [56, 56], windowSize: [7, 7], dilation: [8, 8] }, { family: 'ampere', headDim: 32 });
    const md = callHoverMarkdown(dinat, { ...CONTEXT, family: 'ampere', headDim: 32 });
    const sim = dinat.simulation!;
    assert.ok(sim.paperSimulated !== undefined && sim.paperSimulated > sim.simulated);
    assert.match(md, /Simulated \d+\.\d+× counts every Q tile the kernel runs; \d+\.?\d*× in the GNA paper's ratio, which leaves out that the kernel runs [\d,]+ Q tiles \(padding and dilation groups tiled one by one\) where self attention over the 3,136 tokens has 49, and that self attention over the flattened tokens walks 49 KV tiles per Q tile, not the 56 of the padded box layout\./);
    assert.deepEqual(row(md, 'simulated speedup')[1], `${sim.qTiles} Q tiles × ${sim.worstQTileVisits} KV tiles (busiest Q tile) = 1,024 steps, self attention 2,401`);
    // No such note where the paper's ratio is the headline.
    assert.doesNotMatch(callHoverMarkdown(callReport(FLUX), CONTEXT), /paper's ratio/);
  });

  it('shows the backward pass and the training step beside the forward (FLUX stride 16 on Hopper\'s backward tiles)', () => {
    const call = callReport({ ...FLUX, stride: [16, 16] });
    const md = callHoverMarkdown(call, CONTEXT);
    const t = call.training!;
    assert.deepEqual(row(md, 'backward')[0], `${t.backward.simulated.toFixed(2)}×`);
    assert.match(row(md, 'backward')[1], /^Q 8×8 \/ KV 16×8 tiles: 512 KV tiles × \d+ Q tiles \(busiest KV tile\)/);
    assert.match(row(md, 'training step')[1], /the backward at 2\.5× the forward's FLOPs per tile pair \(assumed\)/);
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
    assert.deepEqual(row(md, 'tile-pair bound'), ['10.2×', '25,600 of 262,144 tile pairs visited, 0 of them partly masked']);
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
    assert.deepEqual(row(md, 'stride'), ['90', '1']);
    assert.match(md, /⚠ stride must be \\<= kernel\\_size/);
    assert.ok(!md.includes('command:'));
    assert.ok(!md.includes('tile-pair bound'));
  });

  it('shows unresolved values as ? and lists exactly the missing values with a link that annotates them', () => {
    const md = callHoverMarkdown(
      callReport({ rank: 2, inputSize: undefined, windowSize: [UNKNOWN, 7], stride: 2 }, { layoutSource: 'none' }),
      CONTEXT,
    );
    assert.deepEqual(row(md, 'token layout (input_size)'), ['?', '?']);
    assert.deepEqual(row(md, 'window (kernel_size)'), ['?', '7']);
    assert.deepEqual(row(md, 'stride'), ['2', '2']);
    assert.match(md, /Token layout unknown/);
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
    assert.deepEqual(row(md, 'stride'), ['?', '1']);
  });

  it('names the settings pattern that gave the layout', () => {
    const md = callHoverMarkdown(callReport(FLUX, { layoutSource: 'setting' }), { ...CONTEXT, layoutPattern: '**/flux_*.py' });
    assert.match(md, /`gna\.inputSize` setting \(pattern `\*\*\/flux_\*\.py`\)/);
  });

  it('says why a valid config is not simulated when the family has no preset for the head dim', () => {
    const md = callHoverMarkdown(callReport(FLUX, { family: 'blackwell', headDim: 256 }), { ...CONTEXT, family: 'blackwell', headDim: 256 });
    assert.match(md, /Not simulated: no blackwell tile preset for head dim 256/);
    assert.match(md, /command:gna\.previewMask/);
  });

  it('gives one section per variant of a dict-configured call, each named', () => {
    const md = callsHoverMarkdown(
      [callReport({ ...FLUX, stride: [16, 16] }, { variant: 'blocks.0' }), callReport(FLUX, { variant: 'blocks.1' })],
      CONTEXT,
    );
    const sections = md.split('\n\n---\n\n');
    assert.equal(sections.length, 2);
    assert.match(sections[0], /^\*\*GNA `na2d`\*\* · `blocks\.0` \(2-D\) — 90% sparse \(10% attended\) · 10\.2× simulated speedup · block-sparse/);
    assert.match(sections[1], /^\*\*GNA `na2d`\*\* · `blocks\.1` \(2-D\) — 90% sparse \(10% attended\) · 6\.65× simulated speedup$/m);
  });

  it('escapes markdown in free text', () => {
    assert.equal(escapeMarkdown('a*b_c|d'), 'a\\*b\\_c\\|d');
  });
});
