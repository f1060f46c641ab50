// The editor's list of the workspace's NATTEN calls (GNA: List NATTEN Calls in Workspace) as a
// Markdown document: the table `gna calls` prints, cell for cell (lint/callTable.ts words both),
// then the count, the NATTEN releases and why each unresolved argument is. Pure text.

import { LocatedCallRow, TABLE_HEADER, tableCells, tableFooter } from '../../lint/callTable';

/** A table cell: `|` separates values (`1 | 8`) and would split the cell. */
function escape(cell: string): string {
  return cell.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** `notes`: lines said above the table (a cancelled or partial listing). */
export function callsMarkdown(rows: readonly LocatedCallRow[], notes: readonly string[] = []): string {
  const out = ['# NATTEN calls in the workspace', ''];
  for (const n of notes) out.push(`> ${escape(n)}`, '');
  if (rows.length === 0) {
    out.push('No NATTEN call found in the workspace\'s Python files.');
    return `${out.join('\n')}\n`;
  }
  out.push(`| ${TABLE_HEADER.join(' | ')} |`, `| ${TABLE_HEADER.map(() => '---').join(' | ')} |`);
  for (const r of rows) out.push(`| ${tableCells(r).map(escape).join(' | ')} |`);
  const { summary, unresolved } = tableFooter(rows);
  out.push('', summary);
  if (unresolved.length > 0) out.push('', 'Unresolved:', '', ...unresolved.map((u) => `- ${u.replace(/([*`[\]<>])/g, '\\$1')}`));
  return `${out.join('\n')}\n`;
}
