import { strict as assert } from 'assert';
import { lintOptionsKey, parseLayoutSetting, resolveSettings, SettingKey } from '../../../extension/host/pure/settingsModel';

const reader =
  (values: Partial<Record<SettingKey, unknown>>) =>
  (key: SettingKey): unknown =>
    values[key];

describe('host: settings model', () => {
  // No NATTEN version unless the user set one: the project's pin decides then (lint/projectOptions.ts).
  const DEFAULTS: { lint: Record<string, unknown>; inlayHints: boolean; codeLens: boolean } = { lint: { family: 'hopper', headDim: 128, timeBudgetMs: 5000 }, inlayHints: true, codeLens: true };
  const cases: { title: string; values: Partial<Record<SettingKey, unknown>>; resolved: typeof DEFAULTS; warned: string[] }[] = [
    { title: 'gives the defaults when nothing is set, with no warning', values: {}, resolved: DEFAULTS, warned: [] },
    {
      title: 'passes valid values through',
      values: { gpuFamily: 'blackwell', headDim: 64, nattenVersion: '0.17.5', 'inlayHints.enabled': false, 'codeLens.enabled': false, 'lint.timeBudgetMs': 0 },
      resolved: { lint: { nattenVersion: '0.17.5', family: 'blackwell', headDim: 64, timeBudgetMs: 0 }, inlayHints: false, codeLens: false },
      warned: [],
    },
    {
      title: 'falls back to the default, with a warning naming the setting, for each bad value',
      values: { gpuFamily: 'volta', headDim: 12.5, nattenVersion: 'latest', 'inlayHints.enabled': 'yes', 'codeLens.enabled': 0, 'lint.timeBudgetMs': 1e9 },
      resolved: DEFAULTS,
      warned: ['gna.gpuFamily', 'gna.headDim', 'gna.nattenVersion', 'gna.inlayHints.enabled', 'gna.codeLens.enabled', 'gna.lint.timeBudgetMs'],
    },
  ];
  for (const { title, values, resolved, warned } of cases) {
    it(title, () => {
      const s = resolveSettings(reader(values), 'model.py');
      assert.deepEqual({ lint: s.lint, inlayHints: s.inlayHints, codeLens: s.codeLens }, resolved);
      // One warning per bad setting, each starting with the setting's name.
      assert.deepEqual(s.warnings.map((w) => warned.find((key) => w.startsWith(key)) ?? w).sort(), [...warned].sort());
    });
  }

  it('keeps a head dim without a tile preset for the family but says so', () => {
    const s = resolveSettings(reader({ gpuFamily: 'blackwell', headDim: 256 }), 'model.py');
    assert.equal(s.lint.headDim, 256);
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0], /no blackwell tile preset/);
  });

  describe('gna.inputSize per file pattern', () => {
    const layouts = { '**/*.py': [1024], 'video/*.py': [30, 48, 80], '**/video/hunyuan.py': [30, 48, 80], 'flux_*.py': [256, 256] };

    it('gives the layout of the most specific matching pattern', () => {
      const at = (path: string) => resolveSettings(reader({ inputSize: layouts }), path);
      assert.deepEqual(at('scripts/train.py').lint.defaultInputSize, [1024]);
      assert.deepEqual(at('video/dit.py').lint.defaultInputSize, [30, 48, 80]);
      assert.equal(at('video/dit.py').layoutPattern, 'video/*.py');
      assert.equal(at('src/video/hunyuan.py').layoutPattern, '**/video/hunyuan.py');
      assert.deepEqual(at('models/flux_dev.py').lint.defaultInputSize, [256, 256]);
    });

    it('gives no layout when no pattern matches', () => {
      const s = resolveSettings(reader({ inputSize: { 'video/*.py': [30, 48, 80] } }), 'image/dit.py');
      assert.equal(s.lint.defaultInputSize, undefined);
      assert.equal(s.layoutPattern, undefined);
    });

    it('drops bad entries with a warning and keeps the good ones', () => {
      const s = resolveSettings(
        reader({ inputSize: { 'a.py': [0, 4], 'b.py': [1, 2, 3, 4], 'c.py': '30x48', 'd.py': [2.5], 'e.py': [64, 64] } }),
        'e.py',
      );
      assert.deepEqual(s.lint.defaultInputSize, [64, 64]);
      assert.equal(s.warnings.length, 4);
      for (const p of ['a.py', 'b.py', 'c.py', 'd.py']) assert.ok(s.warnings.some((w) => w.includes(`"${p}"`)));
    });

    it('an invalid pattern ([z-a]) is one warning; the other patterns still apply', () => {
      const s = resolveSettings(reader({ inputSize: { '**/[z-a].py': [8], '*.py': [64, 64] } }), 'dit.py');
      assert.deepEqual(s.lint.defaultInputSize, [64, 64]);
      assert.equal(s.warnings.length, 1);
      assert.match(s.warnings[0], /gna\.inputSize: "\*\*\/\[z-a\]\.py" is not a valid file pattern \(the range z-a in \[z-a\] is reversed\); it is ignored\./);
    });

    it('compiles a setting value once: resolving it again reuses the compiled patterns', () => {
      const value = { '**/video_*.py': [30, 48, 80], 'x.py': [8] };
      const first = parseLayoutSetting(value);
      const again = parseLayoutSetting(JSON.parse(JSON.stringify(value)));
      assert.equal(again, first);
      assert.notEqual(parseLayoutSetting({ ...value, 'y.py': [4] }), first);
    });

    it('warns when the setting is not an object', () => {
      const s = resolveSettings(reader({ inputSize: [30, 48, 80] }), 'x.py');
      assert.equal(s.lint.defaultInputSize, undefined);
      assert.match(s.warnings[0], /gna\.inputSize must map file patterns/);
    });
  });

  it('keys lints by every option that changes a report', () => {
    const base = resolveSettings(reader({}), 'x.py').lint;
    const keys = new Set([
      lintOptionsKey(base),
      lintOptionsKey({ ...base, family: 'ampere' }),
      lintOptionsKey({ ...base, headDim: 64 }),
      lintOptionsKey({ ...base, nattenVersion: '0.17' }),
      lintOptionsKey({ ...base, defaultInputSize: [64, 64] }),
    ]);
    assert.equal(keys.size, 5);
    assert.equal(lintOptionsKey({ ...base }), lintOptionsKey(base));
  });
});
