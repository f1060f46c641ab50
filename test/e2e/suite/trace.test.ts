// Traced runs in a real VS Code: "GNA: Trace a Run…" runs a model (the shape-only NATTEN stand-in
// of workspace/traced) under `gna trace`, and the traced file then shows each traced layout in its
// hints and hover; an edit makes them stale, and undoing it makes them fresh again.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { hintLabel, hoverText, openFixture, positionOf, waitFor, wholeDocument } from './helpers';

const MODEL = 'traced/model.py';

async function hintTexts(document: vscode.TextDocument): Promise<string[]> {
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, wholeDocument(document));
  return hints.map(hintLabel);
}

async function hoverAtCall(document: vscode.TextDocument): Promise<string> {
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'na2d(q', 1)));
}

interface TraceOutcome {
  shown: string;
  message: string;
  exitCode?: number;
}

describe('traced runs (gna trace)', function () {
  this.timeout(90_000);

  it('traces a run, then shows the traced layouts in hints, hovers and the Traced Layers view', async () => {
    const { document } = await openFixture(MODEL);
    // Before the trace the layout is unknown: no simulated hint for the call.
    await waitFor('the untraced lint', async () => /^layout \?(×\?)* \(unknown\)/m.test(await hoverAtCall(document)));
    assert.deepEqual(await hintTexts(document), []);

    const outcome = await vscode.commands.executeCommand<TraceOutcome>('gna.traceRun', 'python3 traced/run.py');
    assert.equal(outcome.exitCode, 0, outcome.message);
    assert.match(outcome.message, /^Traced: 4 calls at 1 call site in 1 file \(1 process, natten 0\.21\.0\)/);

    const hint = await waitFor('a traced hint', async () => (await hintTexts(document)).find((h) => h.includes('traced')));
    assert.match(hint, /^(2 configs: )?\S+× sim(ulated)? · traced$/);
    const hover = await hoverAtCall(document);
    assert.match(hover, /^\*\*GNA `na2d`\*\* · traced 56×56 /m);
    assert.match(hover, /^- \*\*traced 28×28\*\* — /m);
    assert.match(hover, /Traced: layout and config from a run .*3 calls · batch 2 · 4 heads · float16 · on cuda:0/);
    assert.doesNotMatch(hover, /Stale/);

    const api = vscode.extensions.getExtension<{ tracedLayers(): { lines(): Promise<string[]> } }>('gna-studio.gna-studio')!.exports;
    const lines = await api.tracedLayers().lines();
    const line = positionOf(document, 'na2d(q').line + 1;
    assert.ok(lines.some((l) => l.startsWith(`traced/model.py:${line} na2d — 2 configs · 4 calls`)), lines.join('\n'));
    assert.ok(lines.some((l) => /^ {2}56×56 · window 7×7 · stride 2×2 — .* simulated speedup · 3 calls$/.test(l)), lines.join('\n'));
  });

  it('marks the traced hints and hovers stale once the file changes, and fresh again when undone', async () => {
    const { document } = await openFixture(MODEL);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# edited after the trace\n'));
    const stale = await waitFor('a stale hint', async () => (await hintTexts(document)).find((h) => h.includes('traced, stale')));
    assert.match(stale, /^(2 configs: )?\S+× sim(ulated)? · traced, stale$/);
    assert.match(await hoverAtCall(document), /⚠ \*\*Stale\*\*: the file changed after the trace/);

    await vscode.commands.executeCommand('undo');
    await waitFor('a fresh hint again', async () => (await hintTexts(document)).some((h) => h.endsWith('· traced')));
    assert.doesNotMatch(await hoverAtCall(document), /Stale/);
  });
});
