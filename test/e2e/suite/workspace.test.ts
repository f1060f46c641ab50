// In the real editor: the linter resolves values across the workspace's files as `gna lint` does
// over a folder (a block's kernel_size and dilation from its factory in another file), follows
// edits to that other file, and takes the NATTEN version from the project (its pin and
// [tool.gna]) exactly as the CLI computes it.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { join } from 'path';
import * as vscode from 'vscode';
import { codeOf, fixtureUri, gnaApi, gnaDiagnostics, hintLabel, waitFor } from './helpers';

const BACKBONE = 'crossfile/backbone.py';
const FACTORY = 'crossfile/factory.py';

async function write(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = fixtureUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** The `[d=…]` variants the block's diagnostics speak of (a grouped warning names them all), sorted. */
function dilations(uri: vscode.Uri): string[] {
  const found = new Set<string>();
  for (const d of gnaDiagnostics(uri)) for (const m of d.message.matchAll(/\[(d=\d+)\]/g)) found.add(m[1]);
  return [...found].sort();
}

async function hintLabels(uri: vscode.Uri): Promise<string[]> {
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, 40, 0));
  return hints.map(hintLabel);
}

/**
 * The first line of each hint's tooltip: `2 configs (…), simulated speedup …:` for a call with
 * several configs (the label of this long line's hint is only its speedup).
 */
async function hintHeadlines(uri: vscode.Uri): Promise<string[]> {
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, 40, 0));
  return hints.map((h) => String(typeof h.tooltip === 'string' ? h.tooltip : (h.tooltip?.value ?? '')).split('\n')[0]);
}

/** `rule@line` of the errors and warnings (infos go to hints in the editor), sorted. */
function editorFindings(uri: vscode.Uri): string[] {
  return gnaDiagnostics(uri)
    .filter((d) => d.severity !== vscode.DiagnosticSeverity.Information && d.severity !== vscode.DiagnosticSeverity.Hint)
    .map((d) => `${String(codeOf(d))}@${d.range.start.line}`)
    .sort();
}

/** `gna <args>` from the repository's build of the CLI: its standard output (exit code 1, errors found, included). */
function cli(args: string[]): string {
  const root = process.env.GNA_E2E_EXTENSION;
  assert.ok(root, 'GNA_E2E_EXTENSION names the repository');
  try {
    return execFileSync(process.execPath, [join(root, 'bin', 'gna.js'), ...args], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  } catch (e) {
    return (e as { stdout?: string }).stdout ?? '';
  }
}

/** The same from `gna lint --format json` run on the file on disk. */
function cliFindings(uri: vscode.Uri): string[] {
  const findings = JSON.parse(cli(['lint', '--format', 'json', uri.fsPath])) as { rule: string; severity: string; line: number }[];
  return findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}@${f.line - 1}`).sort();
}

describe('the workspace in a real VS Code', function () {
  this.timeout(90_000);

  it('resolves a block\'s config from its factory in another file, and follows edits to that file', async () => {
    const uri = fixtureUri(BACKBONE);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // factory.py (never opened) passes dilation 1 and 8: the block is checked once per value.
    await waitFor('the factory\'s dilations in the block\'s findings', () => dilations(uri).join() === 'd=1,d=8');
    const before = await waitFor('the hint of the two configs', async () => {
      const labels = await hintHeadlines(uri);
      return labels.length === 1 && /^2 configs\b/.test(labels[0]) && labels[0];
    });
    // The factory changes on disk (a save, a checkout): the open block is linted again.
    await write(FACTORY, '# The model factory of backbone.py\'s block.\nfrom backbone import DilatedBlock\n\n\ndef tiny(dilations=(1, 4, 2)):\n    return [DilatedBlock(64, 2, kernel_size=7, dilation=d) for d in dilations]\n');
    await waitFor('the new dilations after factory.py changed on disk', () => dilations(uri).join() === 'd=1,d=2,d=4');
    const after = await waitFor('the hint of the three configs', async () => {
      const labels = await hintHeadlines(uri);
      return labels.length === 1 && /^3 configs\b/.test(labels[0]) && labels[0];
    });
    assert.notEqual(after, before);
    // Unsaved text of an open document wins over the disk: typing in factory.py is enough.
    const factory = await vscode.workspace.openTextDocument(fixtureUri(FACTORY));
    const editor = await vscode.window.showTextDocument(factory, { preview: false });
    const line = factory.getText().split('\n').findIndex((l) => l.includes('dilations=(1, 4, 2)'));
    const at = factory.lineAt(line).text.indexOf('(1, 4, 2)');
    await editor.edit((e) => e.replace(new vscode.Range(line, at, line, at + '(1, 4, 2)'.length), '(16,)'));
    // Dilation 16 alone: 7 × 16 > 56, an error, and no more per-dilation findings.
    await waitFor('the unsaved dilation of factory.py', () => dilations(uri).length === 0 && gnaDiagnostics(uri).some((d) => codeOf(d) === 'gna/window-exceeds-input'));
    const api = (await gnaApi()) as unknown as { stats: { indexedFiles?: number; dependencyRelints?: number } };
    assert.ok((api.stats.indexedFiles ?? 0) >= 2, 'the index holds the workspace\'s Python files');
    assert.ok((api.stats.dependencyRelints ?? 0) >= 2, 'the block was linted again for each change of the factory');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('takes the NATTEN version from the project as the CLI does: [tool.gna] natten-version, then the pin', async () => {
    const uri = await write(
      'pinned/model.py',
      'from natten import NeighborhoodAttention2D\n\n\nclass Stage:\n    def __init__(self):\n        # gna: input_size=(32, 32)\n        self.attn = NeighborhoodAttention2D(dim=64, num_heads=2, kernel_size=7, dilation=2)\n',
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // No pin: the newest release, where `dim` was renamed embed_dim (0.20.1).
    await waitFor('the renamed argument under the newest release', () => editorFindings(uri).join() === 'gna/unexpected-argument@6');
    assert.deepEqual(editorFindings(uri), cliFindings(uri));
    // [tool.gna] natten-version = "0.14.6": `dim` is right there.
    await write('pinned/pyproject.toml', '[project]\nname = "pinned"\ndependencies = ["natten==0.21.0"]\n\n[tool.gna]\nnatten-version = "0.14.6"\n');
    await waitFor('no finding under 0.14.6', () => editorFindings(uri).length === 0 && gnaDiagnostics(uri).length === 0 && hintLabels(uri).then((h) => h.length === 1));
    assert.deepEqual(editorFindings(uri), cliFindings(uri));
    // Without the table's version the project's own pin (natten==0.21.0) decides: the error is back.
    await write('pinned/pyproject.toml', '[project]\nname = "pinned"\ndependencies = ["natten==0.21.0"]\n\n[tool.gna]\n');
    await waitFor('the renamed argument under the pinned 0.21.0', () => editorFindings(uri).join() === 'gna/unexpected-argument@6');
    assert.deepEqual(editorFindings(uri), cliFindings(uri));
    // A requirements file comes first among a folder's pins: 0.17.5, where `dim` is still the name.
    await write('pinned/requirements.txt', 'torch>=2\nnatten>=0.17,<0.20\n');
    await waitFor('no finding under the 0.17.5 pin', () => editorFindings(uri).length === 0);
    assert.deepEqual(editorFindings(uri), cliFindings(uri));
  });

  it('GNA: List NATTEN Calls in Workspace shows the table gna calls prints, values and NATTEN version alike', async () => {
    interface Row {
      file: string;
      line: number;
      op: string;
      args: Record<string, { resolved: boolean; values: unknown[] }>;
      nattenVersion: { version: string; source: string };
    }
    const listing = await vscode.commands.executeCommand<{ rows: Row[]; markdown: string }>('gna.listCalls');
    assert.ok(listing && Array.isArray(listing.rows), JSON.stringify(listing));
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.scheme, 'gna-calls');
    assert.equal(shown?.getText(), listing.markdown);
    for (const folder of ['crossfile', 'pinned']) {
      const expected = JSON.parse(cli(['calls', '--format', 'json', fixtureUri(folder).fsPath])) as Row[];
      assert.ok(expected.length > 0, folder);
      for (const want of expected) {
        const name = want.file.slice(want.file.lastIndexOf(`${folder}/`));
        const got = listing.rows.find((r) => r.file === name && r.line === want.line);
        assert.ok(got, `${name}:${want.line} is listed: ${listing.rows.map((r) => `${r.file}:${r.line}`).join(", ")}`);
        assert.equal(got.op, want.op);
        assert.deepEqual(got.args, want.args, `${name}:${want.line} arguments`);
        assert.deepEqual(got.nattenVersion, want.nattenVersion, `${name}:${want.line} NATTEN version`);
        assert.ok(listing.markdown.includes(`| ${name}:${want.line} | ${want.op} |`), 'the row is in the document');
      }
    }
  });
});
