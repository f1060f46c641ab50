// "GNA: Benchmark…": each step's text, parsing and NATTEN checks, and the remembered values.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { DEFAULT_FLOW, describeFlow, flowFromCall, flowProblem, FlowValues, KnownProblem, missingPrompt, restoreFlow, TEXT_STEPS, tupleWords } from '../../../extension/host/pure/benchFlow';

function step(key: keyof typeof TEXT_STEPS, text: string, values: FlowValues = DEFAULT_FLOW): FlowValues | string {
  const r = TEXT_STEPS[key].parse(text, values);
  return 'error' in r ? r.error : r.value;
}

describe('host: the Benchmark… flow', () => {
  it('reads tuples as users type them', () => {
    assert.deepEqual(tupleWords('30 48 80'), ['30', '48', '80']);
    assert.deepEqual(tupleWords('(30, 48, 80)'), ['30', '48', '80']);
    assert.deepEqual(tupleWords('30x48×80'), ['30', '48', '80']);
  });

  it('takes a layout of 1 to 3 axes and reshapes the later fields to its rank', () => {
    const v = step('inputSize', '30 48 80') as FlowValues;
    assert.deepEqual(v.inputSize, [30, 48, 80]);
    assert.deepEqual([v.windowSize, v.stride, v.causal], [[80, 80, 80], [1, 1, 1], [false, false, false]]);
    assert.match(step('inputSize', '1 2 3 4') as string, /4 entries/);
    assert.match(step('inputSize', '30 -4') as string, /positive integers/);
    assert.match(step('inputSize', '') as string, /required/);
    assert.match(step('inputSize', '16384 16384') as string, /at most 67108864/);
  });

  it('broadcasts one value to every axis, and checks each field in NATTEN’s words', () => {
    const layout = step('inputSize', '30 48 80') as FlowValues;
    const window = step('windowSize', '18 24 24', layout) as FlowValues;
    assert.deepEqual(window.windowSize, [18, 24, 24]);
    assert.deepEqual((step('windowSize', '8', layout) as FlowValues).windowSize, [8, 8, 8]);
    assert.match(step('windowSize', '40 24 24', layout) as string, /kernel_size \* dilation must be <= input size/);
    assert.match(step('windowSize', '18 24', layout) as string, /2 entries but the layout has 3 axes/);
    assert.match(step('stride', '20 8 8', window) as string, /stride must be <= kernel_size/);
    assert.deepEqual((step('stride', '16x8x8', window) as FlowValues).stride, [16, 8, 8]);
    assert.match(step('dilation', '1 3 1', window) as string, /kernel_size \* dilation must be <= input size.*axis 1: 24 \* 3 = 72 > 48/);
    assert.deepEqual((step('dilation', '1 2 1', window) as FlowValues).dilation, [1, 2, 1], '24 · 2 = 48 fits a 48-token axis');
    assert.deepEqual((step('causal', 'true false false', window) as FlowValues).causal, [true, false, false]);
    assert.deepEqual((step('causal', '1', window) as FlowValues).causal, [true, true, true]);
    assert.match(step('causal', 'maybe', window) as string, /true\/false/);
    assert.equal((step('heads', '24') as FlowValues).heads, 24);
    assert.match(step('heads', '0') as string, /positive integer/);
    assert.match(step('batch', '5000') as string, /at most 1024/);
  });

  it('starts each field from its current value, in the form it accepts back', () => {
    const values: FlowValues = { ...DEFAULT_FLOW, inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], dilation: [1, 1, 1], causal: [true, false, false] };
    for (const key of Object.keys(TEXT_STEPS) as (keyof typeof TEXT_STEPS)[]) {
      const text = TEXT_STEPS[key].format(values);
      const back = TEXT_STEPS[key].parse(text, values);
      assert.ok('value' in back, `${key}: "${text}" → ${JSON.stringify(back)}`);
      assert.deepEqual(back.value[key], values[key]);
    }
    assert.equal(TEXT_STEPS.windowSize.format({ ...values, windowSize: [7, 7, 7] }), '7');
  });

  it('turns finished values into a checked problem and workload', () => {
    const done = flowProblem({ ...DEFAULT_FLOW, heads: 24 });
    assert.ok('problem' in done);
    assert.deepEqual(done.workload, { batch: 1, heads: 24, headDim: 128 });
    const bad = flowProblem({ ...DEFAULT_FLOW, headDim: 96 });
    assert.ok('error' in bad && /head dim must be one of 32, 64, 128, 256, got 96/.test(bad.error));
    assert.equal(describeFlow({ ...DEFAULT_FLOW, heads: 24 }), '256×256, window 80×80 · 24 heads × 128, bf16, batch 1');
  });

  it('restores what was remembered, keeping what is still valid and defaulting the rest', () => {
    const kept = restoreFlow({ ...DEFAULT_FLOW, inputSize: [64], windowSize: [9], stride: [3], dilation: [2], causal: [true], heads: 8, dtype: 'float16' });
    assert.deepEqual([kept.inputSize, kept.windowSize, kept.stride, kept.dilation, kept.causal, kept.heads, kept.dtype], [[64], [9], [3], [2], [true], 8, 'float16']);
    assert.deepEqual(restoreFlow(undefined), DEFAULT_FLOW);
    assert.deepEqual(restoreFlow('junk'), DEFAULT_FLOW);
    const broken = restoreFlow({ inputSize: [8], windowSize: [9], stride: [1], dilation: [1], causal: [false], heads: -3, headDim: 96, batch: 2 });
    assert.deepEqual(broken.inputSize, DEFAULT_FLOW.inputSize, 'a window larger than the layout is not restored');
    assert.deepEqual([broken.heads, broken.headDim, broken.batch], [1, 128, 2]);
  });

  describe('starting from a partly known call', () => {
    const remembered: FlowValues = { ...DEFAULT_FLOW, inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride: [16, 8, 8], dilation: [1, 1, 1], causal: [false, false, false], heads: 24 };

    it('prefills what the call gives and leaves the rest to be asked, at the op’s rank', () => {
      const start = flowFromCall({ inputSize: [56, 56], stride: [1, 1], dilation: [1, 1], causal: [false, false] }, 2, remembered);
      assert.deepEqual(start.missing, ['windowSize']);
      assert.deepEqual([start.values.inputSize, start.values.stride, start.values.windowSize.length, start.values.heads], [[56, 56], [1, 1], 2, 24]);
      const noLayout = flowFromCall({ windowSize: [7] }, 1, remembered);
      assert.deepEqual(noLayout.missing, ['inputSize', 'stride', 'dilation', 'causal']);
      assert.equal(noLayout.values.inputSize.length, 1, 'the stand-in layout has the op’s rank');
      assert.deepEqual(noLayout.values.windowSize, [7]);
    });

    it('the title shows a value still to enter as ?, never the stand-in', () => {
      const start = flowFromCall({ inputSize: [56, 56] }, 2, remembered);
      assert.equal(describeFlow(start.values, start.missing), '56×56, window ? · 24 heads × 128, bf16, batch 1');
      assert.match(describeFlow(start.values), /^56×56, window \d/, 'without it, the stand-in would show');
    });

    it('a missing step says that the call does not give it', () => {
      assert.equal(missingPrompt('windowSize'), `The call does not give kernel_size: enter it. ${TEXT_STEPS.windowSize.prompt}`);
      assert.match(missingPrompt('inputSize'), /^The call does not give input_size: enter it\./);
    });

    it('for any subset of known values, keeps exactly those and asks exactly the rest', () => {
      const keys = ['inputSize', 'windowSize', 'stride', 'dilation', 'causal'] as const;
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.subarray([...keys]), (rank, given) => {
          const full = { inputSize: new Array(rank).fill(64), windowSize: new Array(rank).fill(5), stride: new Array(rank).fill(2), dilation: new Array(rank).fill(3), causal: new Array(rank).fill(true) };
          const known: Record<string, unknown> = {};
          for (const k of given) known[k] = full[k];
          const start = flowFromCall(known as KnownProblem, rank, remembered);
          assert.deepEqual(start.missing, keys.filter((k) => !given.includes(k)));
          for (const k of given) assert.deepEqual(start.values[k], full[k]);
          for (const k of keys) assert.equal(start.values[k].length, rank);
        }),
      );
    });
  });
});
