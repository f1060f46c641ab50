// In the real editor: `# gna: ignore[…]` comments on a call, and a project's `[tool.gna]` table in
// pyproject.toml (the nearest one wins; edits to it re-lint open files).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, fixtureUri, gnaDiagnostics, waitFor } from './helpers';

const BAD_CALL = 'y = na2d(q, k, v, kernel_size=(7, 7), stride=(8, 1))';
const SOURCE = ['from natten import na2d', BAD_CALL, `z = na2d(q, k, v, kernel_size=(7, 7), stride=(8, 1))  # gna: ignore[stride-exceeds-window]`, ''].join('\n');

async function write(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = fixtureUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** `rule@line` of each GNA diagnostic, sorted. */
function codes(uri: vscode.Uri): string[] {
  return gnaDiagnostics(uri).map((d) => `${String(codeOf(d))}@${d.range.start.line}`).sort();
}

/**
 * Waits until the GNA diagnostics of `uri` are exactly `expected` (a timeout names the last ones).
 * Not the first change after a write: a write truncates, then writes, and a re-lint can read the
 * file in between and publish its table-less state first; the write's own event re-lints after.
 */
async function waitForCodes(what: string, uri: vscode.Uri, expected: string[]): Promise<void> {
  await waitFor(what, () => {
    assert.deepEqual(codes(uri), expected);
    return true;
  });
}

describe('suppressions and [tool.gna] in a real VS Code', function () {
  this.timeout(60_000);

  it('# gna: ignore[rule] on a call hides that finding there only, and follows edits', async () => {
    const uri = await write('suppress/model.py', SOURCE);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitFor('the stride error on line 1 only', () => {
      const c = codes(uri).filter((x) => x.startsWith('gna/stride-exceeds-window'));
      return c.length > 0 && c;
    });
    assert.deepEqual(found, ['gna/stride-exceeds-window@1']);
    // Remove the comment: the second call's error appears.
    const line = editor.document.lineAt(2);
    const at = line.text.indexOf('  # gna: ignore');
    await editor.edit((e) => e.delete(new vscode.Range(2, at, 2, line.text.length)));
    await waitFor('the error on both calls', () => codes(uri).filter((x) => x.startsWith('gna/stride-exceeds-window')).length === 2);
  });

  it('[tool.gna] of the nearest pyproject.toml sets the layout and the rules, and a change re-lints', async () => {
    await write('proj/pyproject.toml', '[tool.gna]\nignore = ["stride-exceeds-window"]\n\n[tool.gna.input-size]\n"*.py" = [64, 64]\n');
    // A nearer pyproject.toml without the table is passed over.
    await write('proj/sub/pyproject.toml', '[project]\nname = "no-table"\n');
    const uri = await write('proj/sub/net.py', ['from natten import na2d', BAD_CALL, 'w = na2d(q, k, v, kernel_size=(7, 7))', ''].join('\n'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // Linted (the file is open and analysed) with the table: no stride error, no missing layout.
    await waitFor('a lint of net.py with the table', async () => {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, 10, 0));
      return hints.length === 1;
    });
    assert.deepEqual(codes(uri).filter((c) => /stride-exceeds-window|needs-layout/.test(c)), []);
    // Select only that rule instead: the error is back, everything else is gone.
    const selectStride = '[tool.gna]\nselect = ["gna/stride-exceeds-window"]\n';
    await write('proj/pyproject.toml', selectStride);
    await waitForCodes('the re-lint after pyproject.toml changed', uri, ['gna/stride-exceeds-window@1']);
    // A save in two steps with a re-lint in between (what a slow, non-atomic write gives): the
    // emptied file has no table, so the layout is missing again; once the text lands, the empty
    // read is forgotten.
    await write('proj/pyproject.toml', '');
    await waitForCodes('the re-lint of the emptied pyproject.toml', uri, ['gna/needs-layout@2', 'gna/stride-exceeds-window@1']);
    await write('proj/pyproject.toml', selectStride);
    await waitForCodes('the re-lint after pyproject.toml was written again', uri, ['gna/stride-exceeds-window@1']);
  });
});
