// The editor's list of NATTEN calls (GNA: List NATTEN Calls in Workspace): the Markdown table has
// the cells `gna calls` prints, one row per call site, with `|` inside a cell escaped so that a
// Markdown reader splits the row back into exactly those cells.
import { strict as assert } from 'assert';
import { formatTable } from '../../../extension/cli/calls';
import { callsMarkdown } from '../../../extension/host/pure/callsMarkdown';
import { callRows, LocatedCallRow, TABLE_HEADER, tableCells } from '../../../extension/lint/callTable';
import { linter } from '../lint/helpers';

const LAYER = [
  'from natten import NeighborhoodAttention2D',
  'class Block:',
  '    def __init__(self, kernel_size=7, dilation=1):',
  '        # gna: input_size=(56, 56)',
  '        self.attn = NeighborhoodAttention2D(64, 2, kernel_size=kernel_size, dilation=dilation)',
  '',
].join('\n');
const FACTORY = ['from layer import Block', 'def make(dilations=(1, 8)):', '    return [Block(dilation=d) for d in dilations]', 'def odd(k):', '    return Block(kernel_size=k)', ''].join('\n');

/** Splits a Markdown table row on the `|` that are not escaped, and unescapes the cells. */
function cellsOf(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < row.length - 1; i++) {
    if (row[i] === '\\') cell += row[++i];
    else if (row[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += row[i];
  }
  cells.push(cell.trim());
  return cells;
}

describe('host: the NATTEN calls list as Markdown', () => {
  it('has the cells gna calls prints, a `|` inside a cell escaped, and the unresolved reasons below', async () => {
    const l = await linter();
    const ws = l.workspace(new Map([['factory.py', FACTORY]]));
    const report = l.lint(LAYER, { workspace: ws, path: 'layer.py' });
    ws.dispose();
    const rows: LocatedCallRow[] = callRows(report.calls).map((r) => ({ ...r, file: 'models/layer.py', line: 5, nattenVersion: { version: '0.17.5', source: 'models/requirements.txt: natten==0.17.5' } }));
    assert.equal(rows.length, 1);
    const markdown = callsMarkdown(rows, ['Cancelled after 3 of 9 files.']);
    const lines = markdown.split('\n');
    assert.equal(lines[0], '# NATTEN calls in the workspace');
    assert.ok(lines.includes('> Cancelled after 3 of 9 files.'));
    const table = lines.filter((l) => l.startsWith('| '));
    assert.deepEqual(cellsOf(table[0]), [...TABLE_HEADER]);
    assert.equal(table.length, 3);
    const cells = cellsOf(table[2]);
    assert.deepEqual(cells, tableCells(rows[0]));
    // Several values of one argument: `1 | 8` stays one cell.
    assert.equal(cells[TABLE_HEADER.indexOf('dilation')], '1 | 8');
    // The terminal table of `gna calls` prints the same cells.
    const printed = formatTable([{ ...rows[0], column: 1 }]);
    for (const c of cells) assert.ok(printed[1].includes(c), c);
    assert.match(markdown, /^1 call site; NATTEN 0\.17\.5 from models\/requirements\.txt: natten==0\.17\.5\.$/m);
    assert.match(markdown, /^- models\/layer\.py:5 kernel_size: k is a parameter of odd\(\)/m);
  });

  it('says so when there is no call', () => {
    assert.match(callsMarkdown([]), /No NATTEN call found/);
  });
});
