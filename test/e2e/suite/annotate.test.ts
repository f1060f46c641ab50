// In the real editor: the noise policy (no information squiggle where nothing is actionable) and
// the `# gna:` annotation for what a call lacks, from the lightbulb (no diagnostic needed) and the
// command the hover links to.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureUri, gnaApi, gnaDiagnostics, hoverText, positionOf, waitFor } from './helpers';

const SOURCE = ['from natten import na2d', '', 'def attend(q, k, v, ks):', '    return na2d(q, k, v, kernel_size=ks, stride=1)', ''].join('\n');

describe('missing values in a real VS Code', function () {
  this.timeout(60_000);

  it('no squiggle for a call whose kernel_size is unknown; the lightbulb and the hover add the annotation', async () => {
    const uri = fixtureUri('annotate/model.py');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SOURCE));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const api = await gnaApi();
    await waitFor('a lint of model.py', () => (api.stats.lintsByDocument[uri.toString()] ?? 0) > 0);
    assert.deepEqual(gnaDiagnostics(uri).map((d) => d.message), []);
    const at = positionOf(editor.document, 'na2d(q');
    const hover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at));
    assert.match(hover, /- `kernel_size`: ks is a parameter of attend\(\)/);
    assert.match(hover, /command:gna\.addAnnotation/);
    const actions = await waitFor('the annotation quick fix at the cursor', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
      const found = all.filter((a) => /^Add # gna: kernel_size=…, input_size=… above the call$/.test(a.title));
      return found.length > 0 && found;
    });
    assert.equal(actions[0].diagnostics, undefined, 'offered without a diagnostic');
    // The command the hover links to inserts the snippet above the statement.
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('gna.addAnnotation');
    await waitFor('the annotation line', () => editor.document.lineAt(3).text === '    # gna: kernel_size=K, input_size=(H, W)');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
