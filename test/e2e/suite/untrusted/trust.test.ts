// In an untrusted workspace (restricted mode) lint, hints, hovers and previews still work; the
// benchmark, which will run native code, is disabled with an explanation.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { gnaDiagnostics, hintLabel, hoverText, openFixture, positionOf, waitFor, wholeDocument } from '../helpers';

describe('GNA Studio in an untrusted workspace', function () {
  this.timeout(60_000);

  it('runs in restricted mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still lints', async () => {
    const { document } = await openFixture('models/video_dit.py');
    await waitFor('diagnostics', () => gnaDiagnostics(document.uri).some((d) => /stride/.test(d.message)));
  });

  it('still shows inlay hints and hovers, without a benchmark link', async () => {
    const { document } = await openFixture('models/flux_attention.py');
    const hints = await waitFor('hints', async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, wholeDocument(document));
      return h.length === 2 && h;
    });
    assert.equal(hintLabel(hints[0]), '90% sparse · 10.2× simulated');
    const hover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'na2d(q', 1)),
    );
    assert.match(hover, /command:gna\.previewMask/);
    assert.doesNotMatch(hover, /command:gna\.benchmarkConfig/);
    assert.match(hover, /needs a trusted workspace/);
  });

  it('labels the benchmark lens and explains instead of running it', async () => {
    const { document } = await openFixture('models/flux_attention.py');
    const lenses = await waitFor('lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      return l.length === 4 && l;
    });
    const benchmark = lenses.find((l) => l.command?.command === 'gna.benchmarkConfig')!;
    assert.equal(benchmark.command!.title, 'Benchmark on GPU (needs a trusted workspace)');
    const outcome = await vscode.commands.executeCommand<{ shown: string; message: string }>(
      'gna.benchmarkConfig',
      ...(benchmark.command!.arguments ?? []),
    );
    assert.equal(outcome.shown, 'warning');
    assert.match(outcome.message, /disabled in an untrusted workspace/);
    // The simulation is still shown, and no native code was loaded to say so.
    assert.match(outcome.message, /na2d 256×256, window 80×80, stride 16×16: 10\.2× simulated\.$/);
    assert.ok(!Object.keys(require.cache).some((path) => path.endsWith('gna_native.node')), 'the native addon was not loaded');
    const preview = lenses.find((l) => l.command?.command === 'gna.previewMask')!;
    const previewOutcome = await vscode.commands.executeCommand<{ shown: string; message: string }>(
      'gna.previewMask',
      ...(preview.command!.arguments ?? []),
    );
    assert.notEqual(previewOutcome.shown, 'warning', previewOutcome.message);
    assert.match(previewOutcome.message, /na2d 256×256, window 80×80, stride 16×16/);
  });

  it('does not trace a run: it would run the code', async () => {
    const outcome = await vscode.commands.executeCommand<{ shown: string; message: string }>('gna.traceRun', 'python3 traced/run.py');
    assert.equal(outcome.shown, 'warning');
    assert.match(outcome.message, /trust this workspace first/);
  });
});
