// The panel's config: tuple text, NATTEN's checks with the core's wording, rank changes, and the
// numbers shown beside the picture against the simulator and brute force.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { flatten, neighborhoodKeys, simulate } from '../../../extension/core';
import { parseIntTuple, PreviewConfig, resolveConfig, starterConfig, supportedHardware, withLayout } from '../../../webview/model/config';
import { buildPreview, pictureFor } from '../../../webview/model/preview';
import { brutePairKinds } from '../../support/previewBrute';
import { selectionArb } from './arbitraries';

const HOPPER = { family: 'hopper', headDim: 128 } as const;

describe('view model: config text and checks', () => {
  it('reads tuples in the spellings users type', () => {
    assert.deepEqual(parseIntTuple('7'), [7]);
    assert.deepEqual(parseIntTuple('18, 24, 24'), [18, 24, 24]);
    assert.deepEqual(parseIntTuple('18x24x24'), [18, 24, 24]);
    assert.deepEqual(parseIntTuple(' (30 × 48 × 80) '), [30, 48, 80]);
    assert.deepEqual(parseIntTuple('[16, 8,]'), [16, 8]);
    assert.deepEqual(parseIntTuple('16 8'), [16, 8]);
  });

  it('says what is wrong with text that is not a tuple of integers', () => {
    assert.match(parseIntTuple('') as string, /Enter a number/);
    assert.match(parseIntTuple('7.5') as string, /"7.5" is not an integer/);
    assert.match(parseIntTuple('a, 2') as string, /"a" is not an integer/);
    assert.match(parseIntTuple('1, 2, 3, 4') as string, /At most 3 axes/);
  });

  it('reports NATTEN’s errors in the core’s words, and tile errors, all at once', () => {
    const bad: PreviewConfig = { ...starterConfig(HOPPER), windowSize: [11, 40], stride: [12, 2], qTile: [16, 0] };
    const resolved = resolveConfig(bad);
    assert.ok('issues' in resolved);
    const messages = resolved.issues.map((i) => `${i.parameter}: ${i.message}`);
    assert.ok(messages.some((m) => m.startsWith('stride: stride must be <= kernel_size') && m.includes('axis 0: 12 > 11')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('kernel_size: kernel_size * dilation must be <= input size') && m.includes('axis 1')));
    assert.ok(messages.some((m) => m.startsWith('q_tile_shape:')));
  });

  it('a valid config resolves to the problem and tiles it spells', () => {
    const resolved = resolveConfig(starterConfig(HOPPER));
    assert.ok('problem' in resolved);
    assert.deepEqual(resolved.problem.inputSize, [32, 32]);
    assert.deepEqual(resolved.tiles, { q: [16, 8], kv: [16, 8] });
  });

  it('a new layout rank reshapes every per-axis value and takes the family’s tiles for that rank', () => {
    const c = withLayout(starterConfig(HOPPER), [30, 48, 80], HOPPER);
    assert.deepEqual(c.windowSize, [11, 11, 11]);
    assert.deepEqual(c.causal, [false, false, false]);
    assert.deepEqual([c.qTile, c.kvTile], [[4, 4, 8], [4, 4, 8]]);
    const one = withLayout(c, [1024], supportedHardware('blackwell', 128));
    assert.deepEqual([one.windowSize, one.qTile, one.kvTile], [[11], [256], [128]]);
    assert.deepEqual(supportedHardware('blackwell', 256), { family: 'blackwell', headDim: 128 });
  });
});

describe('view model: numbers beside the picture', () => {
  it('the simulator rows reproduce GNA-SPEC §6 (256×256, 80×80, stride 16×16 is block-sparse at 10.2×)', () => {
    const problem = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] };
    const model = buildPreview(problem, { q: [16, 8], kv: [16, 8] });
    const value = (id: string) => model.numbers.find((r) => r.id === id)?.value;
    assert.equal(value('simulated'), '10.2×');
    assert.equal(value('tile-pair'), '10.2×');
    assert.equal(value('flop'), '10.2×');
    assert.equal(value('block-sparse'), 'yes');
    assert.equal(value('recommended-stride'), '16×16 (current)');
    const dense = buildPreview({ ...problem, stride: [1, 1] }, { q: [16, 8], kv: [16, 8] });
    const denseValue = (id: string) => dense.numbers.find((r) => r.id === id)?.value;
    assert.equal(denseValue('simulated'), '6.65×');
    assert.equal(denseValue('block-sparse'), 'no');
    assert.match(denseValue('recommended-stride') ?? '', /→ /);
  });

  it('every number is a short label and value (the sidebar shows those; the detail is their tooltip)', () => {
    fc.assert(
      fc.property(selectionArb(120), ({ case: c, query }) => {
        const model = buildPreview(c.problem, c.tiles, undefined, c.tiles);
        for (const row of [...model.numbers, ...pictureFor(model, { query, slice: query[0] }).numbers]) {
          assert.ok(row.label.length <= 20, `label "${row.label}"`);
          assert.ok(row.value.length <= 30, `${row.label}: "${row.value}" is ${row.value.length} characters`);
          assert.ok(row.detail.length > 0, `${row.label} has a tooltip`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('shows the backward pass and the training step beside the forward when the backward tiles are known (FLUX: 10.2×, 5.22×)', () => {
    const problem = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] };
    const model = buildPreview(problem, { q: [16, 8], kv: [16, 8] }, undefined, { q: [16, 8], kv: [16, 8] });
    const row = (id: string) => model.numbers.find((r) => r.id === id);
    assert.deepEqual([row('simulated')?.value, row('backward')?.value, row('training')?.value], ['10.2×', '5.22×', '6.07×']);
    assert.match(row('backward')!.detail, /512 KV tiles × 98 Q tiles \(worst KV tile\)/);
    assert.equal(buildPreview(problem, { q: [16, 8], kv: [16, 8] }).numbers.some((r) => r.id === 'backward'), false);
  });

  it('the query rows count its keys and its Q tile’s visited and full KV tiles as enumeration does', () => {
    fc.assert(
      fc.property(selectionArb(120), ({ case: c, query }) => {
        const model = buildPreview(c.problem, c.tiles);
        const rows = pictureFor(model, { query, slice: query[0] }).numbers;
        const value = (id: string) => rows.find((r) => r.id === id)?.value;
        assert.equal(value('keys'), String(neighborhoodKeys(c.problem, query).length));
        const brute = brutePairKinds(c.problem, c.tiles.q, c.tiles.kv);
        const qTile = brute.qOf(flatten(query, c.problem.inputSize));
        let visited = 0;
        let full = 0;
        for (let b = 0; b < brute.kvTiles; b++) {
          const kind = brute.kind(qTile, b);
          if (kind !== 'empty') visited++;
          if (kind === 'full') full++;
        }
        assert.match(value('q-tile') ?? '', new RegExp(`: ${visited} KV tiles, ${full} full$`));
        assert.equal(model.simulation.visited, simulate(c.problem, c.tiles).visited);
      }),
      { seed: 99, numRuns: 150 },
    );
  });
});

describe('view model: bounded work for any valid config', () => {
  it('refuses in words a layout cut into more tiles per axis than the picture keeps arrays for', () => {
    const config = { inputSize: [2 ** 26], windowSize: [7], stride: [1], dilation: [1], causal: [false], qTile: [1], kvTile: [128] };
    const resolved = resolveConfig(config);
    assert.ok('issues' in resolved);
    assert.deepEqual(resolved.issues.map((i) => i.parameter), ['q_tile_shape']);
    assert.match(resolved.issues[0].message, /67,108,864 tiles along axis 0 are more than the preview draws \(2,097,152\)/);
    assert.ok('problem' in resolveConfig({ ...config, qTile: [128] }), '524,288 tiles of 128 tokens are drawn');
  });
});
