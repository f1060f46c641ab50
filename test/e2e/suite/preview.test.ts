// The mask preview from inside the real extension host: `gna.previewMask` opens the view, what
// the host sends follows the cursor (and a lens's call), and the page in the workbench answers
// through the validated protocol with what it drew.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { gnaApi, openFixture, positionOf, waitFor } from './helpers';

const IMAGE = 'preview/image_2d.py';
const PARTIAL = 'preview/partial_2d.py';

interface Rendered {
  readonly query: readonly number[];
  readonly keys: number;
  readonly simulated: string;
  readonly inputSize: readonly number[];
}
interface PreviewState {
  readonly lastShow?: { source: { kind: string; label?: string; reason?: string }; config?: Record<string, unknown>; missing?: { parameter: string; reason: string }[] };
  rendered(kind: 'view' | 'panel'): Rendered | undefined;
  readonly surfaces: readonly string[];
}

async function previewState(): Promise<() => PreviewState | undefined> {
  const api = (await gnaApi()) as unknown as { preview(): PreviewState | undefined };
  return () => api.preview();
}

describe('GNA mask preview in a real VS Code', function () {
  this.timeout(90_000);

  it('opens the view on the call at the cursor, and the page reports what it drew', async () => {
    const state = await previewState();
    const editor = await openFixture(IMAGE);
    const call = positionOf(editor.document, 'na2d(q', 2);
    editor.selection = new vscode.Selection(call, call);
    const outcome = await vscode.commands.executeCommand<{ shown: string; message: string }>('gna.previewMask');
    assert.equal(outcome.shown, 'view');
    assert.match(outcome.message, /na2d at preview\/image_2d\.py:7/);
    const show = await waitFor('a call on show', () => state()?.lastShow?.source.kind === 'call' && state()!.lastShow!);
    assert.deepEqual(show.config, { inputSize: [48, 64], windowSize: [13, 13], stride: [4, 4], dilation: [1, 2], causal: [false, false], qTile: [16, 8], kvTile: [16, 8] });
    const drawn = await waitFor('the page’s report', () => {
      const r = state()?.rendered('view');
      return r && r.inputSize.join() === '48,64' && r;
    }, 60_000);
    assert.deepEqual([drawn.query, drawn.keys, drawn.simulated], [[24, 32], 169, '2.67×']);
  });

  it('follows the cursor to another call and out of calls', async () => {
    const state = await previewState();
    const editor = await openFixture(IMAGE);
    const second = positionOf(editor.document, 'na2d(q', 2, 1);
    editor.selection = new vscode.Selection(second, second);
    await waitFor('the second call', () => /image_2d\.py:12$/.test(state()?.lastShow?.source.label ?? ''));
    await waitFor('the page drew it', () => state()?.rendered('view')?.keys === 81);
    const top = new vscode.Position(0, 0);
    editor.selection = new vscode.Selection(top, top);
    await waitFor('the free config', () => state()?.lastShow?.source.kind === 'free');
    assert.match(state()!.lastShow!.source.reason!, /not in a NATTEN call/);
  });

  it('a lens shows its own call even when the cursor is elsewhere', async () => {
    const state = await previewState();
    const editor = await openFixture(IMAGE);
    const top = new vscode.Position(0, 0);
    editor.selection = new vscode.Selection(top, top);
    const lenses = await waitFor('lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
      return l.filter((x) => x.command?.command === 'gna.previewMask').length === 2 && l.filter((x) => x.command?.command === 'gna.previewMask');
    });
    const outcome = await vscode.commands.executeCommand<{ shown: string; message: string }>('gna.previewMask', ...(lenses[1].command!.arguments ?? []));
    assert.equal(outcome.shown, 'view');
    assert.match(outcome.message, /na2d 48×64, window 9×9/);
    await waitFor('the lens’s call', () => /image_2d\.py:12$/.test(state()?.lastShow?.source.label ?? ''));
    // A malformed argument is refused in words, nothing is shown.
    const bad = await vscode.commands.executeCommand<{ shown: string; message: string }>('gna.previewMask', { uri: 1 });
    assert.equal(bad.shown, 'warning');
    assert.match(bad.message, /malformed/);
  });

  it('the lens of a partly known call opens its preview with the values it gives, the others listed as missing', async () => {
    const state = await previewState();
    const editor = await openFixture(PARTIAL);
    const top = new vscode.Position(0, 0);
    editor.selection = new vscode.Selection(top, top);
    const lens = await waitFor('the lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
      return l.find((x) => x.command?.title === 'Preview mask (kernel_size unknown)');
    });
    assert.equal(lens.command!.command, 'gna.previewMask');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100);
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.command]), [
      ['Preview mask (kernel_size unknown)', 'gna.previewMask'],
      ['Benchmark on GPU (enter kernel_size)', 'gna.benchmarkConfig'],
    ]);
    const outcome = await vscode.commands.executeCommand<{ shown: string; message: string }>('gna.previewMask', ...(lens.command!.arguments ?? []));
    assert.equal(outcome.shown, 'view');
    assert.equal(outcome.message, 'Mask preview of na2d at preview/partial_2d.py:7 (enter kernel_size to draw this call)');
    const show = await waitFor('the partial call', () => /partial_2d\.py:7$/.test(state()?.lastShow?.source.label ?? '') && state()!.lastShow!);
    assert.deepEqual(show.config, { inputSize: [56, 56], stride: [1, 1], dilation: [1, 1], causal: [false, false], qTile: [16, 8], kvTile: [16, 8] });
    assert.deepEqual(show.missing?.map((m) => m.parameter), ['kernel_size']);
    assert.match(show.missing![0].reason, /window/);
  });
});
