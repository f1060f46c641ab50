// The fixture files (model code in the style of real projects): exact findings with their lines
// and the text each one underlines, key facts of the messages checked against the core, and the
// fixes applied and re-linted.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { formatSpeedup, simulate } from '../../../extension/core';
import type { Finding, LintOptions, LintReport } from '../../../extension/lint';
import { applyEdits, byRule, covered, linter, repoPath } from './helpers';

function fixture(name: string): string {
  return readFileSync(repoPath('test', 'fixtures', 'python', name), 'utf8');
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function compact(text: string, report: LintReport): string[] {
  return report.findings.map((f) => `${lineOf(text, f.range.start)} ${f.rule} ${covered(text, f)}`);
}

async function lint(text: string, options?: LintOptions): Promise<LintReport> {
  return (await linter()).lint(text, options);
}

function only(findings: readonly Finding[], rule: string, fragment: string): Finding {
  const matching = byRule(findings, rule).filter((f) => f.message.includes(fragment));
  assert.equal(matching.length, 1, `one ${rule} with "${fragment}", got ${matching.map((f) => f.message).join(' | ')}`);
  return matching[0];
}

/** Every finding of each fixture under NATTEN 0.21, in report order: `<line> <rule> <underlined text>`. */
const FINDINGS: Record<string, string> = {
  'dinat_backbone.py': `
    37 gna/padding-waste NeighborhoodAttention2D
    37 gna/summary NeighborhoodAttention2D
    37 gna/summary NeighborhoodAttention2D
    37 gna/window-exceeds-input **cfg
    37 gna/dense-fallback **cfg
    37 gna/summary NeighborhoodAttention2D
  `,
  'video_dit.py': `
    44 gna/summary natten.na3d
    44 gna/not-block-sparse natten.na3d
    44 gna/summary natten.na3d
    44 gna/dense-fallback **self.gna
    44 gna/summary natten.na3d
    44 gna/tuple-length **self.gna
    44 gna/tuple-length **self.gna
    44 gna/stride-exceeds-window **self.gna
  `,
  'flux_hunyuan.py': `
    10 gna/not-block-sparse na2d
    10 gna/summary na2d
    13 gna/summary na2d
    16 gna/not-block-sparse na3d
    16 gna/summary na3d
    25 gna/summary na3d
  `,
  'flattened_tokens.py': `
    10 gna/rank-mismatch F.na1d
    10 gna/summary F.na1d
    16 gna/summary F.na1d
  `,
  'legacy_014.py': `
    26 gna/removed-api natten2dqkrpb
    26 gna/needs-layout natten2dqkrpb
    28 gna/removed-api natten2dav
    28 gna/needs-layout natten2dav
    34 gna/removed-api nf.natten2dqkrpb
    34 gna/even-window 8
    34 gna/summary nf.natten2dqkrpb
  `,
  'legacy_017.py': `
    16 gna/positional-meaning 2
    16 gna/unexpected-argument rpb=bias
    16 gna/not-block-sparse 2
    16 gna/summary na2d
    21 gna/removed-api na2d_qk
    21 gna/padding-waste na2d_qk
    21 gna/summary na2d_qk
    22 gna/removed-api na2d_av
    22 gna/needs-layout na2d_av
    26 gna/positional-meaning 2
    26 gna/unexpected-argument rel_pos_bias=True
    26 gna/unexpected-argument attn_drop=0.1
    26 gna/summary NeighborhoodAttention2D
  `,
};

describe('fixtures: every finding, its line and the text it underlines (NATTEN 0.21)', () => {
  for (const [name, expected] of Object.entries(FINDINGS)) {
    it(name, async () => {
      const text = fixture(name);
      assert.deepEqual(compact(text, await lint(text)), expected.trim().split('\n').map((line) => line.trim()));
    });
  }
});

describe('fixture: DiNAT-style backbone (0.21 modules, per-stage configs)', () => {
  const text = fixture('dinat_backbone.py');

  it('reports each stage: padding, an impossible dilation, a dense last stage', async () => {
    const report = await lint(text);
    assert.deepEqual(
      report.calls.map((c) => c.variant),
      ['stage1', 'stage2', 'stage3', 'stage4'],
    );
    // The padding of two stages is one warning at the call naming both; errors stay one per stage.
    const padding = report.findings.filter((f) => f.rule === 'gna/padding-waste');
    assert.equal(padding.length, 1);
    assert.match(padding[0].message, /^\[stage\d\] .*\(also \[stage\d\]\)$/);
    const err = only(report.findings, 'gna/window-exceeds-input', '[stage3]');
    assert.equal(err.severity, 'error');
    assert.match(err.message, /axis 0: 7 \* 3 = 21 > 14/);
    // Head dim from the module: embed_dim / num_heads = 32.
    assert.match(only(report.findings, 'gna/summary', '[stage1]').message, /head dim 32\)$/);
  });

  it('the preferred fix lowers stage3 dilation in the STAGES dict, and the error goes away', async () => {
    const report = await lint(text);
    const err = only(report.findings, 'gna/window-exceeds-input', '[stage3]');
    const fix = err.fixes.find((f) => f.preferred)!;
    assert.equal(fix.title, 'Use dilation=2, the largest that fits');
    const fixed = applyEdits(text, fix.edits);
    assert.ok(fixed.includes('"stage3": dict(embed_dim=256, num_heads=8, kernel_size=7, dilation=2)'));
    assert.equal(byRule((await lint(fixed)).findings, 'gna/window-exceeds-input').length, 0);
  });
});

describe('fixture: video DiT with per-layer GNA configs in a dict', () => {
  const text = fixture('video_dit.py');

  it('checks every layer of GNA_LAYERS at the one call site', async () => {
    const report = await lint(text);
    assert.match(only(report.findings, 'gna/summary', '[double_blocks.0]').message, /^\[double_blocks\.0\] 91% sparse \(9% attended\) · 11\.1× simulated speedup · block-sparse/);
    assert.match(only(report.findings, 'gna/tuple-length', 'kernel_size').message, /got kernel_size=\(18, 24\)/);
    assert.match(only(report.findings, 'gna/stride-exceeds-window', '').message, /axis 0: 20 > 18/);
  });

  it('the stride fix for double_blocks.1 edits that layer in the dict and makes it block-sparse', async () => {
    const report = await lint(text);
    const warn = only(report.findings, 'gna/not-block-sparse', '[double_blocks.1]');
    assert.match(warn.message, /124,128 of 148,896 visited tile pairs/);
    assert.match(warn.message, /3\.60× → 11\.1× simulated/);
    const fixed = applyEdits(text, warn.fixes[0].edits);
    assert.ok(fixed.includes('"double_blocks.1": {"kernel_size": WINDOW, "stride": (2, 8, 8)},'));
    const after = await lint(fixed);
    assert.equal(byRule(after.findings, 'gna/not-block-sparse').length, 0);
    assert.match(only(after.findings, 'gna/summary', '[double_blocks.1]').message, /11\.1× simulated speedup · block-sparse/);
  });
});

describe('fixture: the FLUX and HunyuanVideo configs of GNA-SPEC', () => {
  const text = fixture('flux_hunyuan.py');

  it('summaries equal the core simulator on the same tiles (GNA-SPEC §6)', async () => {
    const report = await lint(text);
    const flux = (stride: number) =>
      simulate({ inputSize: [256, 256], windowSize: [80, 80], stride: [stride, stride], dilation: [1, 1], causal: [false, false] }, { q: [16, 8], kv: [16, 8] });
    const hunyuan = (stride: number[]) =>
      simulate({ inputSize: [30, 48, 80], windowSize: [18, 24, 24], stride, dilation: [1, 1, 1], causal: [false, false, false] }, { q: [2, 8, 8], kv: [2, 8, 8] });
    const summaries = byRule(report.findings, 'gna/summary').map((f) => f.message);
    assert.ok(summaries[0].includes(`${formatSpeedup(flux(1).simulated)} simulated speedup`), summaries[0]);
    assert.ok(summaries[1].includes(`${formatSpeedup(flux(16).simulated)} simulated speedup · block-sparse`), summaries[1]);
    assert.ok(summaries[2].includes(`${formatSpeedup(hunyuan([1, 1, 1]).simulated)} simulated speedup`), summaries[2]);
    assert.ok(summaries[3].includes(`${formatSpeedup(hunyuan([16, 8, 8]).simulated)} simulated speedup · block-sparse`), summaries[3]);
    assert.equal(formatSpeedup(flux(1).simulated), '6.65×');
    assert.equal(formatSpeedup(hunyuan([1, 1, 1]).simulated), '3.60×');
  });

  it('the stride fix adds stride=… to the sliding-window calls, which then simulate at the bound', async () => {
    const report = await lint(text);
    let fixed = text;
    const edits = byRule(report.findings, 'gna/not-block-sparse').flatMap((f) => f.fixes[0].edits);
    fixed = applyEdits(fixed, edits);
    assert.ok(fixed.includes('na2d(q, k, v, kernel_size=(80, 80), stride=16)'));
    assert.ok(fixed.includes('kv_tile_shape=(2, 8, 8), stride=(2, 8, 8)'));
    const after = await lint(fixed);
    assert.equal(byRule(after.findings, 'gna/not-block-sparse').length, 0);
    assert.equal(byRule(after.findings, 'gna/summary').filter((f) => f.message.includes('block-sparse')).length, 4);
  });
});

describe('fixture: a 1-D op on flattened 2-D tokens', () => {
  const text = fixture('flattened_tokens.py');

  it('warns on the flattened layout and names the matching 2-D window', async () => {
    const report = await lint(text);
    const w = only(report.findings, 'gna/rank-mismatch', '');
    assert.match(w.message, /flattened to 4096 tokens/);
    assert.match(w.message, /Use na2d \(kernel_size=\(7, 7\) has the same 49 keys per query\)/);
    assert.deepEqual(report.calls[0].check.problem?.inputSize, [4096]);
  });
});

describe('fixture: NATTEN 0.14 code', () => {
  const text = fixture('legacy_014.py');

  it('under 0.21: removed APIs named with their replacement; even windows are errors in the unfused ops', async () => {
    const report = await lint(text);
    assert.match(report.findings[0].message, /natten2dqkrpb was removed in NATTEN 0\.17\.5; use na2d_qk/);
    // self.kernel_size = 7 in __init__ resolves, and self.dilation to the parameter's default
    // (nothing in the file constructs the class with another).
    assert.equal(report.calls[0].raw.windowSize, 7);
    assert.equal(report.calls[0].raw.dilation, 1);
  });

  it('under 0.14 the same code is current: only the even window is an error', async () => {
    const report = await lint(text, { nattenVersion: '0.14' });
    assert.deepEqual(
      report.findings.filter((f) => f.severity !== 'info').map((f) => f.rule),
      ['gna/even-window'],
    );
  });

  it('under 0.17.5 the module-qualified call migrates to na2d_qk', async () => {
    const report = await lint(text, { nattenVersion: '0.17.5' });
    const removed = byRule(report.findings, 'gna/removed-api').find((f) => covered(text, f) === 'nf.natten2dqkrpb')!;
    assert.equal(removed.fixes.length, 1);
    const fixed = applyEdits(text, removed.fixes[0].edits);
    assert.ok(fixed.includes('return nf.na2d_qk(q, k, kernel_size=8, dilation=2, rpb=rpb)'));
    const after = await lint(fixed, { nattenVersion: '0.17.5' });
    const line34 = after.findings.filter((f) => lineOf(fixed, f.range.start) === 34).map((f) => f.rule);
    assert.deepEqual(line34, ['gna/even-window', 'gna/summary']);
  });
});

describe('fixture: NATTEN 0.17 code', () => {
  const text = fixture('legacy_017.py');

  it('under 0.21: positional meanings changed, rpb / rel_pos_bias / attn_drop are gone, the unfused ops removed', async () => {
    const report = await lint(text);
    assert.match(only(report.findings, 'gna/unexpected-argument', "'rpb'").message, /removed in NATTEN 0\.20 \(relative positional biases were dropped\)/);
    assert.match(only(report.findings, 'gna/unexpected-argument', "'attn_drop'").message, /removed in NATTEN 0\.20/);
  });

  it('migrating na2d: keep the 0.17 meaning (dilation=2), drop rpb; no API finding is left', async () => {
    const report = await lint(text);
    const line16 = report.findings.filter((f) => lineOf(text, f.range.start) === 16);
    const meaning = line16.find((f) => f.rule === 'gna/positional-meaning')!;
    const keepOld = meaning.fixes.find((f) => f.title.startsWith('Write dilation=2'))!;
    const dropRpb = line16.find((f) => f.rule === 'gna/unexpected-argument')!.fixes[0];
    const fixed = applyEdits(text, [...keepOld.edits, ...dropRpb.edits]);
    assert.ok(fixed.includes('return na2d(q, k, v, WINDOW, dilation=2)'), fixed);
    const after = (await lint(fixed)).findings.filter((f) => lineOf(fixed, f.range.start) === 16).map((f) => f.rule);
    assert.deepEqual(after, ['gna/not-block-sparse', 'gna/padding-waste', 'gna/summary']);
  });

  it('under 0.17 the code is current: the positional argument is dilation', async () => {
    const report = await lint(text, { nattenVersion: '0.17' });
    assert.equal(byRule(report.findings, 'gna/removed-api').length, 0);
    assert.equal(byRule(report.findings, 'gna/unexpected-argument').length, 0);
    assert.deepEqual(report.calls[0].raw.dilation, 2);
    assert.match(byRule(report.findings, 'gna/positional-meaning')[0].message, /here dilation=2 with NATTEN 0\.17/);
  });
});
