// The pictures' captions say in plain words what a row, a column and a square are, and what a
// square stands for when it is a block; sparsity reads both ways ("88% sparse (12% attended)").
import { strict as assert } from 'assert';
import { gridCaption, matrixCaption, pairsCaption } from '../../../webview/model/captions';
import { buildPreview, pictureFor } from '../../../webview/model/preview';

const JARGON = /flattened|row-major|pixel/i;

describe('view model: captions in plain words', () => {
  const video = { inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [1, 1, 1], dilation: [1, 1, 1], causal: [false, false, false] };
  const tiles = { q: [2, 8, 8], kv: [2, 8, 8] };

  it('the tile-pair map: rows and columns are tiles of queries and keys; an aggregated square says how many pairs it stands for', () => {
    const whole = buildPreview(video, tiles, { gridCells: 512, mapCells: 1024 });
    assert.equal(
      pairsCaption(whole.pairMap!, whole.simulation),
      'Rows: 900 Q tiles (2×8×8 queries each); columns: 900 KV tiles (2×8×8 keys each), both numbered row by row through the 15×6×10 tile grid. ' +
        'Each square is one Q tile with one KV tile. 148,896 of 810,000 pairs computed, 124,128 with masking. Click a row to select its Q tile.',
    );
    // 106 squares a side (a 320-pixel side bar): whole rows of 10 tiles along the last axis per square.
    const side = buildPreview(video, tiles, { gridCells: 512, mapCells: 320, pairCells: 106 });
    const caption = pairsCaption(side.pairMap!, side.simulation);
    assert.match(caption, /Each square is a block of 1×1×10 Q tiles × 1×1×10 KV tiles \(up to 100 pairs\), in the kind most of its computed pairs have\./);
    assert.doesNotMatch(caption, JARGON);
  });

  it('the token grid names its axes, the slice and the block a square stands for', () => {
    const model = buildPreview(video, tiles, { gridCells: 16, mapCells: 64 });
    const pic = pictureFor(model, { query: [15, 24, 40], slice: 15 });
    const caption = gridCaption(video.inputSize, pic, [15, 24, 40], 15);
    assert.match(caption, /^Slice 15 of 30 along the first axis: 48 × 80 tokens, a row is one position along the second axis, a column one along the third\./);
    assert.match(caption, /Each square is a block of 3 × 5 tokens, coloured by what any token in it is\./);
    assert.doesNotMatch(caption, JARGON);
    const sequence = { inputSize: [4096], windowSize: [512], stride: [1], dilation: [1], causal: [false] };
    const seq = buildPreview(sequence, { q: [128], kv: [128] }, { gridCells: 4096, mapCells: 256 });
    assert.match(gridCaption([4096], pictureFor(seq, { query: [7], slice: 0 }), [7], 0), /^4,096 tokens in order, left to right\. The query is \(7\)\./);
    assert.equal(
      matrixCaption(seq.matrix!),
      'Row i is query i, column j is key j, of 4,096 tokens: a square is coloured when the query attends the key. ' +
        'Each square is a block of 16 queries × 16 keys, coloured when any of them attends any key of it. Click a row to select its query.',
    );
  });

  it('sparsity reads as sparse and attended at once', () => {
    const flux = buildPreview({ inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] }, { q: [16, 8], kv: [16, 8] });
    // 6,400 of 65,536 keys per query: 9.77% attended.
    assert.equal(flux.numbers.find((r) => r.id === 'sparsity')?.value, '90% sparse (10% attended)');
  });
});
