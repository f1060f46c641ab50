// The preview page's state rules (model/previewState.ts) in plain Node: which config is shown,
// and who wins when the host and the page disagree.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import type { PreviewConfig } from '../../../webview/model/config';
import { starterConfig } from '../../../webview/model/config';
import { PartialConfig, PROBLEM_FIELDS } from '../../../webview/model/prefill';
import { DEFAULT_HARDWARE, describeShown, hardwareOf, HostShow, initialState, kept, PreviewEvent, PreviewState, reduce, stillMissing, writeBackState } from '../../../webview/model/previewState';

type Source = { kind: 'call'; op: string; call: { uri: string; offset: number } } | { kind: 'free'; reason: string };

const FREE: Source = { kind: 'free', reason: 'no editor' };
const callAt = (offset: number, uri = 'file:///a.py'): Source => ({ kind: 'call', op: 'na2d', call: { uri, offset } });
const config = (window: number): PreviewConfig => ({ inputSize: [64, 64], windowSize: [window, window], stride: [1, 1], dilation: [1, 1], causal: [false, false], qTile: [16, 8], kvTile: [16, 8] });
const show = (source: Source, cfg?: PartialConfig, notice?: string): HostShow<Source> => ({ source, ...(cfg ? { config: cfg } : {}), hardware: { family: 'hopper', headDim: 128 }, ...(notice ? { notice } : {}) });

function run(state: PreviewState<Source>, ...events: PreviewEvent<Source>[]): PreviewState<Source> {
  return events.reduce((s, e) => reduce(s, e).state, state);
}

describe('view model: the preview page state', () => {
  const start = initialState<Source>(undefined, FREE);

  it('starts on the starter config for the default hardware, following the editor', () => {
    assert.equal(start.follow, true);
    assert.deepEqual(start.config, starterConfig(DEFAULT_HARDWARE));
    assert.equal(start.config, start.freeConfig);
  });

  it('following, a call’s config is shown, and a free source brings back the user’s own config', () => {
    const mine = config(5);
    const edited = run(start, { type: 'edit', config: mine });
    const onCall = reduce(edited, { type: 'show', show: show(callAt(10), config(7), 'values unresolved') });
    assert.deepEqual(onCall.state.config, config(7));
    assert.deepEqual(onCall.state.callConfig, config(7));
    assert.equal(onCall.reconfigured, true);
    assert.equal(onCall.status, 'values unresolved');
    const back = reduce(onCall.state, { type: 'show', show: show(FREE) });
    assert.equal(back.state.config, mine);
    assert.equal(back.state.callConfig, undefined);
    assert.equal(back.status, '', 'an applied show without a notice clears the status line');
  });

  it('edits of a followed call’s config never overwrite the free config', () => {
    const s = run(start, { type: 'edit', config: config(5) }, { type: 'show', show: show(callAt(10), config(7)) }, { type: 'edit', config: config(9) });
    assert.deepEqual(s.config, config(9));
    assert.deepEqual(s.freeConfig, config(5));
    assert.deepEqual(run(s, { type: 'show', show: show(FREE) }).config, config(5));
  });

  it('not following, the host’s shows are remembered, not shown; following again applies the latest', () => {
    const off = run(start, { type: 'follow', on: false });
    const step = reduce(off, { type: 'show', show: show(callAt(10), config(7), 'n') });
    assert.equal(step.reconfigured, false);
    assert.equal(step.status, undefined, 'the status line is left alone');
    assert.equal(step.state.config, start.config);
    assert.deepEqual(step.state.source, FREE);
    const later = run(step.state, { type: 'show', show: show(callAt(20), config(11)) });
    const on = reduce(later, { type: 'follow', on: true });
    assert.deepEqual(on.state.config, config(11));
    assert.deepEqual(on.state.source, callAt(20));
    assert.equal(on.reconfigured, true);
  });

  it('hardware picked in the page wins over the host’s settings and sets that family’s tiles', () => {
    const host = run(start, { type: 'show', show: { ...show(FREE), hardware: { family: 'ampere', headDim: 64 } } });
    assert.deepEqual(hardwareOf(host), { family: 'ampere', headDim: 64 });
    const picked = run(host, { type: 'hardware', hardware: { family: 'hopper', headDim: 128 } });
    const again = run(picked, { type: 'show', show: { ...show(FREE), hardware: { family: 'ampere', headDim: 32 } } });
    assert.deepEqual(hardwareOf(again), { family: 'hopper', headDim: 128 });
    assert.deepEqual([picked.config!.qTile, picked.config!.kvTile], [starterConfig({ family: 'hopper', headDim: 128 }).qTile, starterConfig({ family: 'hopper', headDim: 128 }).kvTile]);
    assert.deepEqual(picked.freeConfig, picked.config, 'in free mode the change is the free config');
  });

  it('keeps the selected query for the same call and starts over for another one', () => {
    const selection = { query: [3, 4], slice: 0 };
    const on = run(start, { type: 'show', show: show(callAt(10), config(7)) }, { type: 'select', selection });
    assert.deepEqual(run(on, { type: 'show', show: show(callAt(10), config(9)) }).selection, selection);
    assert.equal(run(on, { type: 'show', show: show(callAt(11), config(9)) }).selection, undefined);
    assert.equal(run(on, { type: 'show', show: show(callAt(10, 'file:///b.py'), config(9)) }).selection, undefined);
    assert.equal(run(on, { type: 'show', show: show(FREE) }).selection, undefined);
  });

  it('offers write-back only for a valid, changed config of a followed call', () => {
    assert.equal(writeBackState(start, true).enabled, false);
    const onCall = run(start, { type: 'show', show: show(callAt(10), config(7)) });
    assert.deepEqual(writeBackState(onCall, true), { enabled: false, why: 'The call already has this config' });
    const changed = run(onCall, { type: 'edit', config: config(9) });
    assert.deepEqual(writeBackState(changed, true), { enabled: true, why: 'Write this config into na2d(…) (undo with Ctrl+Z)' });
    assert.equal(writeBackState(changed, false).enabled, false);
  });

  it('what it keeps across reloads gives back the same free config, follow, hardware and selection', () => {
    const s = run(start, { type: 'edit', config: config(5) }, { type: 'follow', on: false }, { type: 'hardware', hardware: { family: 'ampere', headDim: 64 } }, { type: 'select', selection: { query: [1, 2], slice: 0 } });
    const reloaded = initialState<Source>(kept(s), FREE);
    assert.deepEqual(kept(reloaded), kept(s));
    assert.deepEqual(reloaded.config, s.freeConfig);
  });

  it('any sequence of events: free mode shows the free config, and a followed call shows its config until edited', () => {
    const eventArb: fc.Arbitrary<PreviewEvent<Source>> = fc.oneof(
      fc.record({ type: fc.constant('show' as const), show: fc.oneof(fc.constant(show(FREE)), fc.integer({ min: 0, max: 2 }).map((o) => show(callAt(o), config(3 + 2 * o)))) }),
      fc.record({ type: fc.constant('follow' as const), on: fc.boolean() }),
      fc.integer({ min: 1, max: 5 }).map((w) => ({ type: 'edit' as const, config: config(2 * w + 1) })),
    );
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 20 }), (events) => {
        let s = start;
        let editedSinceShow = false;
        for (const e of events) {
          const before = s;
          s = reduce(s, e).state;
          if (e.type === 'edit') editedSinceShow = true;
          else if (s.source !== before.source || (e.type === 'show' && s.follow) || (e.type === 'follow' && e.on && s.lastShow)) editedSinceShow = false;
        }
        if (s.source.kind === 'free') assert.equal(s.config, s.freeConfig);
        else if (!editedSinceShow) assert.equal(s.config, s.callConfig);
        if (s.follow && s.lastShow) assert.equal(s.source, s.lastShow.source);
      }),
    );
  });

  describe('a call the linter cannot fully read', () => {
    const labelled: Source = { kind: 'call', op: 'na2d', call: { uri: 'file:///m.py', offset: 40 }, label: 'm.py:4' } as Source;
    const { windowSize: _w, ...noWindow } = config(7);
    const partial: PartialConfig = noWindow;
    const missing = [{ parameter: 'kernel_size' as const, reason: 'ks is a parameter of attend' }];
    const onPartial = reduce(start, { type: 'show', show: { ...show(labelled, partial), missing } });

    it('shows what the call gives, draws nothing, and says what to enter and why', () => {
      const s = onPartial.state;
      assert.equal(onPartial.reconfigured, true);
      assert.deepEqual(s.fields, partial);
      assert.equal(s.config, undefined, 'nothing is drawn');
      assert.deepEqual(stillMissing(s), missing);
      assert.deepEqual(describeShown(s), { kind: 'missing', caption: '', detail: 'enter kernel_size to draw this call', missing: ['kernel_size'] });
      assert.deepEqual(writeBackState(s, false), { enabled: false, why: 'Enter kernel_size first' });
    });

    it('once the user enters the missing value, draws the call labelled with the user’s value, never as the call’s own', () => {
      const entered = run(onPartial.state, { type: 'edit', config: { ...partial, windowSize: [7, 7] } });
      assert.deepEqual(entered.config, config(7));
      assert.deepEqual(stillMissing(entered), []);
      const words = describeShown(entered);
      assert.equal(words.kind, 'entered');
      assert.equal(words.caption, 'na2d at m.py:4 with your kernel_size=7 (not in the code)');
      assert.deepEqual(writeBackState(entered, true), { enabled: true, why: 'Write into na2d(…): your kernel_size=7 where the call leaves it out, else in its # gna: annotation, never over what the code passes (undo with Ctrl+Z)' });
      assert.deepEqual(entered.freeConfig, start.freeConfig, 'a call’s values never become the free config');
    });

    it('the same call shown again keeps the values the user entered for what it still does not give', () => {
      const entered = run(onPartial.state, { type: 'edit', config: { ...partial, windowSize: [7, 7] } });
      const again = run(entered, { type: 'show', show: { ...show(labelled, { ...partial, stride: [2, 2] }), missing } });
      assert.deepEqual([again.fields.windowSize, again.fields.stride], [[7, 7], [2, 2]]);
      const nowGiven = run(entered, { type: 'show', show: show(labelled, config(9)) });
      assert.deepEqual(nowGiven.config, config(9), 'a value the code now gives wins');
      const other = run(entered, { type: 'show', show: { ...show(callAt(99), partial), missing } });
      assert.equal(other.fields.windowSize, undefined, 'another call starts from its own values');
    });

    it('editing a value the call gives leaves the missing one missing', () => {
      const s = run(onPartial.state, { type: 'edit', config: { ...partial, stride: [2, 2] } });
      assert.equal(s.config, undefined);
      assert.deepEqual(stillMissing(s).map((m) => m.parameter), ['kernel_size']);
    });

    it('a complete call is captioned as itself; away from calls the example and the user’s own config say they are no call’s', () => {
      const own = run(start, { type: 'show', show: show(labelled, config(7)) });
      assert.deepEqual(describeShown(own), { kind: 'call', caption: 'na2d at m.py:4', detail: '', missing: [] });
      assert.equal(describeShown(start).kind, 'example');
      assert.equal(describeShown(start).caption, 'Example config, not from your code');
      const mine = run(start, { type: 'edit', config: config(5) });
      assert.equal(describeShown(mine).caption, 'Your own config, not from your code');
      assert.equal(describeShown(run(mine, { type: 'show', show: show(labelled, partial) }, { type: 'show', show: show(FREE) })).kind, 'own');
    });

    it('for any subset of known values: the form keeps exactly those, asks for exactly the rest, and draws only once all are entered', () => {
      const full = { inputSize: [48, 64], windowSize: [7, 9], stride: [2, 3], dilation: [1, 2], causal: [true, false], qTile: [16, 8], kvTile: [16, 8] };
      fc.assert(
        fc.property(fc.subarray([...PROBLEM_FIELDS]), fc.boolean(), (absent, enterInReverse) => {
          const given: Record<string, unknown> = { ...full };
          for (const f of absent) delete given[f.field];
          const shown = run(start, { type: 'show', show: { ...show(labelled, given as unknown as PartialConfig), missing: absent.map((f) => ({ parameter: f.parameter, reason: `no ${f.parameter}` })) } });
          for (const { field } of PROBLEM_FIELDS) assert.deepEqual(shown.fields[field], given[field]);
          assert.deepEqual(stillMissing(shown), absent.map((f) => ({ parameter: f.parameter, reason: `no ${f.parameter}` })));
          assert.equal(shown.config === undefined, absent.length > 0);
          let s = shown;
          for (const f of enterInReverse ? [...absent].reverse() : absent) {
            assert.equal(s.config, undefined);
            s = run(s, { type: 'edit', config: { ...s.fields, [f.field]: full[f.field] } });
          }
          assert.deepEqual(s.config, full);
          const words = describeShown(s);
          assert.equal(words.kind, absent.length > 0 ? 'entered' : 'call');
          for (const f of PROBLEM_FIELDS) assert.equal(words.caption.includes(`${f.parameter}=`), absent.includes(f));
        }),
      );
    });
  });
});
