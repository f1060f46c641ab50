// The benchmark report page: the simulated-only card (a config this machine could not measure),
// the details of the selected run(s) as a table and a chart, the actions on them, and the history
// with a checkbox per run for side-by-side comparison. Every control is a native button or
// checkbox (keyboard reachable, labelled); text goes in as text, never as HTML. After each render
// the page tells the host what it drew (tests and the log read it).

import { formatSparsity, formatSpeedup } from '../../extension/core/format';
import { formatTuple } from '../../extension/core/problem';
import type { HostChannel } from '../kit/channel';
import type { BenchRecord, ReportHostMessage, ReportRendered, ReportWebviewMessage, SimulatedOnly } from '../protocol/report';
import { drawChart, seriesColour } from './chart';
import { buildView, effectiveSelection, historyRows, MAX_COMPARE, ReportView } from './model';

type Show = Extract<ReportHostMessage, { type: 'show' }>;
type Host = HostChannel<ReportWebviewMessage, ReportHostMessage>;

const CHART_HEIGHT = 260;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

export class App {
  private show?: Show;
  private selected: string[];
  private view?: ReportView;
  private readonly status = el('p', { id: 'status', role: 'status' });
  private readonly notice = el('p', { id: 'notice', role: 'alert' });
  private readonly simulated = el('section', { id: 'simulated-only', 'aria-labelledby': 'simulated-title' });
  private readonly details = el('section', { id: 'details', 'aria-labelledby': 'headline' });
  private readonly history = el('section', { id: 'history', 'aria-labelledby': 'history-title' });
  private readonly canvas = el('canvas', { id: 'chart', role: 'img' });
  private resizeTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: Host,
    root: HTMLElement,
  ) {
    this.selected = keptSelection(host.state);
    root.append(el('main', {}, el('header', {}, el('h1', { text: 'GNA benchmark report' }), this.status, this.notice), this.simulated, this.details, this.history));
    host.listen((message) => this.receive(message));
    new ResizeObserver(() => {
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.drawChart(), 50);
    }).observe(this.details);
    host.post({ type: 'ready' });
  }

  private receive(message: ReportHostMessage): void {
    switch (message.type) {
      case 'show':
        this.show = message;
        if (message.focus && message.focus.length > 0) this.select([...message.focus]);
        if (message.notice) this.setNotice(message.notice.text, message.notice.level);
        this.render();
        return;
      case 'actionResult':
        this.setNotice(message.message, message.ok ? 'info' : 'warning');
        this.render();
        return;
    }
  }

  private setNotice(text: string, level: 'info' | 'warning' | 'error'): void {
    this.notice.textContent = text;
    this.notice.dataset.level = level;
  }

  private select(ids: string[]): void {
    this.selected = ids.slice(0, MAX_COMPARE);
    this.host.state = { selected: this.selected };
  }

  private post(message: { type: 'export'; format: 'json' | 'csv'; ids: string[] } | { type: 'delete'; ids: string[] } | { type: 'sweep'; id: string; kind: 'stride' | 'window' } | { type: 'rerun'; id: string } | { type: 'import' }): void {
    this.host.post({ ...message, requestId: this.host.nextRequestId() });
  }

  // ---- rendering ----------------------------------------------------------------------------

  private render(): void {
    const show = this.show;
    if (!show) return;
    const records = show.records;
    this.selected = effectiveSelection(records, this.selected);
    this.status.textContent = show.status ?? '';
    this.status.hidden = !show.status;
    this.renderSimulatedOnly(show.simulatedOnly);
    this.view = buildView(records, this.selected);
    this.renderDetails(this.view, show.canRun);
    this.renderHistory(records);
    const size = this.drawChart();
    const rendered: ReportRendered = {
      mode: this.view.mode,
      records: records.length,
      selected: this.selected,
      tableRows: this.view.rows.length,
      tableColumns: this.view.columns.length,
      headline: this.view.headline,
      chart: { kind: this.view.chart.kind, series: this.view.chart.series.length, points: this.view.chart.labels.length, width: size[0], height: size[1] },
      simulatedOnly: show.simulatedOnly !== undefined,
      passNote: this.view.passNote,
      simulatedRows: this.simulated.querySelectorAll('tbody tr').length,
      notice: this.notice.textContent ?? '',
    };
    this.host.post({ type: 'rendered', rendered });
  }

  private renderSimulatedOnly(s: SimulatedOnly | undefined): void {
    this.simulated.replaceChildren();
    this.simulated.hidden = !s;
    if (!s) return;
    const rows: [string, string][] = [
      ['simulated speedup', formatSpeedup(s.simulated) + (s.paperSimulated === undefined ? '' : ` (GNA paper's ratio ${formatSpeedup(s.paperSimulated)})`)],
      ['tile-pair bound', `${formatSpeedup(s.tilePairBound)} (${s.visited.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} tile pairs visited)`],
      ['FLOP-wise bound', formatSpeedup(s.flopBound)],
      ['sparsity', formatSparsity(s.sparsity)],
      ['block-sparse', s.blockSparse ? 'yes: no tile pair needs masking' : 'no'],
      ['Q / KV tile', `${formatTuple(s.qTile)} / ${formatTuple(s.kvTile)}`],
      ...(s.backward
        ? ([
            ['backward simulated', `${formatSpeedup(s.backward.simulation.simulated)} (worst KV tile: ${s.backward.simulation.worstKvTileVisits} Q-tile visits, ${s.backward.simulation.denseKvTileVisits} in self attention)`],
            ['training step simulated', `${formatSpeedup(s.backward.training.simulated)} (backward at ${s.backward.training.backwardFlopRatio}× the forward's FLOPs per tile pair)`],
            ['backward Q / KV tile', `${formatTuple(s.backward.tiles.q)} / ${formatTuple(s.backward.tiles.kv)}`],
          ] as [string, string][])
        : []),
    ];
    this.simulated.append(
      el('h2', { id: 'simulated-title', text: `Not measured: ${s.label}` }),
      el('p', { class: 'reason', text: s.reason }),
      el('table', { id: 'simulated-table', class: 'metrics' }, el('tbody', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { text: v }))))),
    );
  }

  private renderDetails(view: ReportView, canRun: boolean): void {
    this.details.replaceChildren();
    this.details.append(el('h2', { id: 'headline', text: view.headline }));
    if (view.subtitle) this.details.append(el('p', { id: 'subtitle', text: view.subtitle }));
    if (view.passNote) this.details.append(el('p', { id: 'pass-note', text: view.passNote }));
    if (view.mode === 'empty') {
      this.details.append(
        el('p', {
          class: 'empty',
          text: 'Run “GNA: Benchmark Config at Cursor”, “GNA: Benchmark…”, or import a `gna bench --json` file measured on a GPU machine.',
        }),
      );
      this.details.append(el('div', { class: 'actions' }, this.button('Import…', 'import', () => this.post({ type: 'import' }))));
      return;
    }
    const ids = view.records.map((r) => r.id);
    const focus = view.mode === 'single' ? view.records[0] : undefined;
    const runTitle = canRun ? undefined : 'Benchmarks need a trusted workspace';
    const actions = el('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Actions on the shown runs' });
    if (focus) {
      actions.append(
        this.button('Run again', 'rerun', () => this.post({ type: 'rerun', id: focus.id }), !canRun, runTitle),
        this.button('Sweep strides', 'sweep-stride', () => this.post({ type: 'sweep', id: focus.id, kind: 'stride' }), !canRun, runTitle ?? 'Time the strides from the recommendation, plotted measured vs simulated'),
        this.button('Sweep windows', 'sweep-window', () => this.post({ type: 'sweep', id: focus.id, kind: 'window' }), !canRun, runTitle ?? 'Time window sizes around this one, plotted measured vs simulated'),
      );
    }
    actions.append(
      this.button('Export JSON', 'export-json', () => this.post({ type: 'export', format: 'json', ids })),
      this.button('Export CSV', 'export-csv', () => this.post({ type: 'export', format: 'csv', ids })),
      this.button(view.records.length > 1 ? `Delete these ${view.records.length}` : 'Delete', 'delete', () => this.post({ type: 'delete', ids })),
    );
    this.details.append(actions);

    const table = el('table', { id: 'details-table', class: 'metrics' });
    const head = el('tr', {}, el('th', { scope: 'col', text: 'metric' }), ...view.columns.map((c) => el('th', { scope: 'col', text: c })));
    table.append(el('thead', {}, head));
    table.append(
      el(
        'tbody',
        {},
        ...view.rows.map((row) => el('tr', row.key ? { class: 'key' } : {}, el('th', { scope: 'row', text: row.metric }), ...row.cells.map((c) => el('td', { text: c })))),
      ),
    );
    const legend = el('ul', { class: 'legend', 'aria-hidden': 'true' });
    for (const s of view.chart.series) {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = seriesColour(s.role);
      legend.append(el('li', {}, swatch, s.name));
    }
    this.canvas.setAttribute('aria-label', view.chartText);
    this.details.append(el('div', { class: 'chart' }, this.canvas, legend), el('div', { class: 'table-scroll' }, table));
  }

  private renderHistory(records: readonly BenchRecord[]): void {
    this.history.replaceChildren();
    const bar = el(
      'div',
      { class: 'actions' },
      this.button('Import…', 'import', () => this.post({ type: 'import' })),
      this.button('Export all as JSON', 'export-all-json', () => this.post({ type: 'export', format: 'json', ids: [] })),
      this.button('Export all as CSV', 'export-all-csv', () => this.post({ type: 'export', format: 'csv', ids: [] })),
    );
    this.history.append(el('h2', { id: 'history-title', text: `History (${records.length} run${records.length === 1 ? '' : 's'})` }), bar);
    if (records.length === 0) return;
    const selected = new Set(this.selected);
    const table = el('table', { id: 'history-table' });
    table.append(
      el(
        'thead',
        {},
        el('tr', {}, ...['compare', 'run', 'measured', 'simulated', 'share', 'GPU', 'when'].map((t) => el('th', { scope: 'col', text: t }))),
      ),
    );
    const body = el('tbody');
    for (const row of historyRows(records)) {
      const check = el('input', { type: 'checkbox', 'aria-label': `compare ${row.label}` }) as HTMLInputElement;
      check.checked = selected.has(row.id);
      check.addEventListener('change', () => {
        const next = this.selected.filter((id) => id !== row.id);
        if (check.checked) next.push(row.id);
        this.select(next);
        this.render();
      });
      const open = el('button', { class: 'link', type: 'button', title: 'Show this run alone', text: row.label });
      open.addEventListener('click', () => {
        this.select([row.id]);
        this.render();
      });
      const tr = el(
        'tr',
        { 'data-id': row.id, class: selected.has(row.id) ? 'selected' : '' },
        el('td', {}, check),
        el('td', {}, open, row.sweep ? el('span', { class: 'tag', text: row.sweep }) : '', row.pass ? el('span', { class: 'tag', text: row.pass }) : ''),
        el('td', { class: 'num', text: row.measured }),
        el('td', { class: 'num', text: row.simulated }),
        el('td', { class: 'num', text: row.share }),
        el('td', { text: row.gpu }),
        el('td', { text: row.when }),
      );
      body.append(tr);
    }
    table.append(body);
    this.history.append(el('div', { class: 'table-scroll' }, table));
  }

  private button(label: string, id: string, action: () => void, disabled = false, title?: string): HTMLButtonElement {
    const b = el('button', { type: 'button', 'data-action': id, text: label, ...(title ? { title } : {}) }) as HTMLButtonElement;
    b.disabled = disabled;
    b.addEventListener('click', action);
    return b;
  }

  /** Draws the chart at the width it has now; returns its CSS size. */
  private drawChart(): [number, number] {
    const view = this.view;
    if (!view || view.chart.kind === 'none' || !this.canvas.isConnected) return [0, 0];
    const width = Math.max(240, Math.min(900, (this.canvas.parentElement?.clientWidth ?? 600) - 2));
    drawChart(this.canvas, view.chart, width, CHART_HEIGHT);
    return [width, CHART_HEIGHT];
  }
}

/** The selection VS Code kept for the page while it was hidden (ids of records). */
function keptSelection(state: unknown): string[] {
  const selected = (state as { selected?: unknown } | undefined)?.selected;
  return Array.isArray(selected) ? selected.filter((x): x is string => typeof x === 'string') : [];
}
