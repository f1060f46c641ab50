// The preview's wiring: host messages and controls in, controls and pictures out. Which config is
// shown (the followed call's or the user's free config) is decided by the view model's reducer
// (model/previewState.ts); config changes rebuild the view model; hovers and clicks only recompose
// the picture of one query, drawn at most once per animation frame.

import { formatSpeedup } from '../../extension/core/format';
import { defaultBackwardTiles } from '../../extension/core/backwardPresets';
import { broadcast, Hardware, parseIntTuple, PreviewConfig, Resolved, resolveConfig, withLayout } from '../model/config';
import { missingMessage, PartialConfig, rankOf } from '../model/prefill';
import { buildPreview, clampSelection, DisplayLimits, pictureFor, PreviewModel, Selection } from '../model/preview';
import { describeShown, hardwareOf, initialState, kept, PreviewEvent, PreviewState, reduce, stillMissing, writeBackState } from '../model/previewState';
import type { HostChannel } from '../kit/channel';
import type { HostMessage, PreviewSource, WebviewMessage } from '../protocol/preview';
import { Controls, TupleField } from './controls';
import { el } from './dom';
import { composePng } from './exportPicture';
import { MAX_WIDTH, PAIR_CELL_PIXELS, Pictures } from './pictures';
import { readPersisted } from './state';
import { Palette, readPalette } from './theme';

export class App {
  private readonly controls: Controls;
  private readonly pictures: Pictures;
  private palette: Palette;
  private state: PreviewState<PreviewSource>;
  private resolved?: Resolved;
  private model?: PreviewModel;
  private hover?: readonly number[];
  private frameRequested = false;
  private commitPending = false;
  private renderedTimer?: number;
  private width = 320;
  private codes?: Uint8Array;

  constructor(private readonly host: HostChannel<WebviewMessage, HostMessage>, root: HTMLElement, inPanel: boolean) {
    this.state = initialState<PreviewSource>(readPersisted(host.state), { kind: 'free', reason: 'waiting for the editor' });
    this.palette = readPalette();
    this.controls = new Controls(
      {
        tupleInput: (field, text) => this.guard(() => this.onTuple(field, text)),
        causal: (axis, checked) => this.guard(() => this.edit({ ...this.fields, causal: causalWith(this.fields, axis, checked) })),
        notCausal: () => this.guard(() => this.edit({ ...this.fields, causal: new Array<boolean>(rankOf(this.fields)).fill(false) })),
        hardware: (hardware) => this.guard(() => this.dispatch({ type: 'hardware', hardware })),
        preset: (q, kv) => this.guard(() => this.edit({ ...this.fields, qTile: [...q], kvTile: [...kv] })),
        applyStride: () => this.guard(() => this.model?.recommendation && this.edit({ ...this.fields, stride: [...this.model.recommendation.stride] })),
        writeBack: () => this.guard(() => this.writeBack()),
        exportPng: () => this.guard(() => this.exportPng()),
        openPanel: () => this.host.post({ type: 'openPanel' }),
        follow: (on) => this.guard(() => this.dispatch({ type: 'follow', on })),
        pickConfig: (variant) => this.host.post({ type: 'pickConfig', variant }),
      },
      { inPanel },
    );
    this.pictures = new Pictures({
      hover: (query) => {
        this.hover = query;
        this.requestFrame(false);
      },
      select: (selection) => {
        this.hover = undefined;
        this.dispatch({ type: 'select', selection });
        this.requestFrame(true);
      },
      redraw: () => this.requestFrame(true),
      openPanel: () => this.host.post({ type: 'openPanel' }),
    }, { inPanel });
    // The caption over the picture says what it is: the call's config, the call with the user's values, or an example.
    root.append(el('main', { class: inPanel ? 'layout panel' : 'layout' }, this.controls.root, el('div', { class: 'shown' }, this.controls.caption, this.pictures.root)));
    this.controls.setFollow(this.state.follow);
    this.watchSize();
    this.watchTheme();
    this.host.listen((message) => this.guard(() => this.onHost(message)));
    this.setConfig();
    this.showSource();
    this.host.post({ type: 'ready' });
  }

  private get hardware(): Hardware {
    return hardwareOf(this.state);
  }

  /** What is drawn: undefined while the followed call lacks values. */
  private get config(): PreviewConfig | undefined {
    return this.state.config;
  }

  /** What the form shows. */
  private get fields(): PartialConfig {
    return this.state.fields;
  }

  private get selection(): Selection | undefined {
    return this.state.selection;
  }

  /** Applies an event to the state (model/previewState.ts) and shows what changed. */
  private dispatch(event: PreviewEvent<PreviewSource>): void {
    const step = reduce(this.state, event);
    this.state = step.state;
    if (step.status !== undefined) this.controls.setStatus(step.status);
    if (step.reconfigured) this.setConfig();
    if (step.reconfigured || event.type === 'show' || event.type === 'follow') this.showSource();
    if (event.type !== 'show') this.persist();
  }

  // ---- host messages ---------------------------------------------------------------------

  private onHost(message: HostMessage): void {
    switch (message.type) {
      case 'show':
        this.dispatch({ type: 'show', show: message });
        return;
      case 'writeBackResult':
      case 'exportResult':
        this.controls.setStatus(message.message);
        return;
    }
  }

  /** The source line, what is still to enter, and the caption over the picture (model/previewState.ts `describeShown`). */
  private showSource(): void {
    const s = this.state.source;
    const shown = describeShown(this.state);
    let text: string;
    if (s.kind === 'call') {
      const layout =
        s.layoutSource === 'annotation' ? ' · layout from its # gna: annotation' : s.layoutSource === 'setting' ? ' · layout from gna.inputSize' : s.layoutSource === 'code' ? ' · layout from a tensor shape in the code' : s.layoutSource === 'trace' ? ' · config from a traced run' : '';
      // What is missing is said once, in the box below (showMissing), not in this line too.
      text = `${s.op} at ${s.label}${layout}${shown.detail && shown.kind !== 'missing' ? ` · ${shown.detail}` : ''}`;
    } else {
      text = `${shown.caption} · ${s.reason}`;
    }
    if (!this.state.follow) text += ' (not following the editor)';
    this.controls.setSource(text, s.kind === 'call');
    this.controls.showConfigs(s.kind === 'call' ? s.configs : undefined, s.kind === 'call' ? s.call.variant : undefined);
    const missing = stillMissing(this.state);
    this.controls.showMissing(missing.length > 0 ? `${capitalised(missingMessage(missing.map((m) => m.parameter)))}.` : '', missing);
    this.controls.showCaption(shown.caption, shown.kind);
    this.updateWriteBack();
  }

  // ---- editing ------------------------------------------------------------------------------

  private onTuple(field: TupleField, text: string): void {
    const parsed = parseIntTuple(text);
    if (typeof parsed === 'string') {
      this.controls.showFieldError(field, parsed);
      return;
    }
    this.controls.showFieldError(field, undefined);
    if (field === 'inputSize') {
      this.edit(withLayout(this.fields, parsed, this.hardware));
      return;
    }
    this.edit({ ...this.fields, [field]: broadcast(parsed, rankOf(this.fields)) });
  }

  /** A change made in the panel. */
  private edit(config: PartialConfig): void {
    this.dispatch({ type: 'edit', config });
  }

  /** Shows the state's fields, and draws them once every value is known (nothing, no numbers, before). */
  private setConfig(): void {
    const config = this.config;
    this.controls.showConfig(this.fields, this.hardware);
    const started = performance.now();
    this.resolved = config && resolveConfig(config);
    if (!this.resolved || 'issues' in this.resolved) {
      this.model = undefined;
      this.controls.showIssues(this.resolved && 'issues' in this.resolved ? this.resolved.issues : []);
      this.controls.showNumbers([]);
      this.controls.enableApplyStride(false);
    } else {
      const rank = this.resolved.problem.inputSize.length;
      const backwardTiles = defaultBackwardTiles(this.hardware.family, rank, this.hardware.headDim);
      this.model = buildPreview(this.resolved.problem, this.resolved.tiles, this.limits(), backwardTiles);
      this.state = { ...this.state, selection: clampSelection(this.model.problem, this.selection) };
      this.controls.showIssues([]);
      this.controls.showNumbers(this.model.numbers);
      const rec = this.model.recommendation;
      this.controls.enableApplyStride(rec !== undefined && !rec.stride.every((s, i) => s === this.model!.problem.stride[i]));
    }
    performance.measure('gna-preview:model', { start: started, duration: performance.now() - started });
    this.pictures.setModel(this.model, this.palette);
    this.updateWriteBack();
    this.requestFrame(true);
  }

  private updateWriteBack(): void {
    const { enabled, why } = writeBackState(this.state, this.model !== undefined);
    this.controls.enableWriteBack(enabled, why);
  }

  // ---- drawing ------------------------------------------------------------------------------

  private requestFrame(commit: boolean): void {
    this.commitPending ||= commit;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.guard(() => this.frame());
    });
  }

  private frame(): void {
    const commit = this.commitPending;
    this.commitPending = false;
    if (!this.model || !this.selection) return;
    const started = performance.now();
    const shown: Selection = this.hover ? { query: this.hover, slice: this.selection.slice } : this.selection;
    const picture = pictureFor(this.model, shown, this.codes, this.pictures.gridView(this.model, this.selection));
    this.codes = picture.codes;
    const stats = this.pictures.draw(picture, shown, this.palette, this.width);
    const frameMs = performance.now() - started;
    performance.measure('gna-preview:frame', { start: started, duration: frameMs });
    if (!commit) return;
    // Tell the host what is on screen (for its log and the editor tests), once things settle.
    window.clearTimeout(this.renderedTimer);
    const model = this.model;
    const keys = picture.numbers.find((r) => r.id === 'keys')?.value ?? '0';
    const rendered = {
      rank: model.axes.length,
      inputSize: [...model.problem.inputSize],
      query: [...shown.query],
      slice: shown.slice,
      keys: Number(keys),
      attendedCells: stats.attendedCells,
      strideGroupCells: stats.strideGroupCells,
      qTileIndex: picture.qTileIndex,
      simulated: formatSpeedup(model.simulation.simulated),
      canvases: this.canvasSizes(),
      drawMs: frameMs,
    };
    this.renderedTimer = window.setTimeout(() => this.host.post({ type: 'rendered', rendered }), 30);
  }

  /** At most one display cell per device pixel of the canvas, so no cell is dropped when drawn. */
  private limits(): DisplayLimits {
    const pixels = Math.floor(Math.max(120, Math.min(MAX_WIDTH, this.width)) * (window.devicePixelRatio || 1));
    const cells = Math.min(1024, pixels);
    // The tile-pair map keeps squares of at least PAIR_CELL_PIXELS device pixels (model/pairMap.ts).
    return { gridCells: cells, mapCells: cells, pairCells: Math.max(1, Math.floor(pixels / PAIR_CELL_PIXELS)) };
  }

  private canvasSizes(): Record<string, [number, number]> {
    const sizes: Record<string, [number, number]> = {};
    for (const canvas of this.pictures.root.querySelectorAll('canvas')) {
      if (canvas.offsetParent !== null) sizes[canvas.id] = [canvas.clientWidth, canvas.clientHeight];
    }
    return sizes;
  }

  private watchSize(): void {
    const observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? this.width);
      if (width > 0 && Math.abs(width - this.width) >= 1) {
        this.width = width;
        // Display cells follow the canvas's device pixels: rebuild when they no longer match.
        const limits = this.limits();
        if (this.model && (limits.gridCells !== this.model.limits.gridCells || limits.mapCells !== this.model.limits.mapCells || limits.pairCells !== this.model.limits.pairCells)) this.setConfig();
        else this.requestFrame(false);
      }
    });
    observer.observe(this.pictures.root);
  }

  /** VS Code swaps theme classes on <body> and variables on <html> when the theme changes. */
  private watchTheme(): void {
    const observer = new MutationObserver(() => {
      this.palette = readPalette();
      this.pictures.setModel(this.model, this.palette);
      this.requestFrame(false);
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }

  // ---- actions ------------------------------------------------------------------------------

  private writeBack(): void {
    const source = this.state.source;
    if (source.kind !== 'call' || !this.model || !this.config) return;
    this.controls.setStatus('Writing to source…');
    this.host.post({ type: 'writeBack', requestId: this.host.nextRequestId(), call: source.call, config: toMessage(this.config) });
  }

  private exportPng(): void {
    if (!this.model || !this.selection) {
      this.controls.setStatus('Nothing to export: the config is not valid.');
      return;
    }
    const p = this.model.problem;
    const title = `GNA ${p.inputSize.join('×')} · window ${p.windowSize.join('×')} · stride ${p.stride.join('×')} · dilation ${p.dilation.join('×')} · query (${this.selection.query.join(', ')})`;
    const parts = [
      ...(p.inputSize.length === 3 ? [{ title: 'Slices of the first axis', canvas: this.pictures.root.querySelector('#strip') as HTMLCanvasElement }] : []),
      { title: p.inputSize.length === 1 ? 'Sequence' : p.inputSize.length === 3 ? `Token grid, slice ${this.selection.slice}` : 'Token grid', canvas: this.pictures.grid },
      { title: 'Tile pairs (Q tiles down, KV tiles across)', canvas: this.pictures.pairs },
      ...(p.inputSize.length === 1 ? [{ title: 'Attention matrix', canvas: this.pictures.matrix }] : []),
    ];
    const pngBase64 = composePng(title, parts, this.palette);
    const fileName = `gna-${p.inputSize.join('x')}-w${p.windowSize.join('x')}-s${p.stride.join('x')}.png`;
    this.controls.setStatus('Exporting…');
    this.host.post({ type: 'exportPng', requestId: this.host.nextRequestId(), fileName, pngBase64 });
  }

  private persist(): void {
    this.host.state = kept(this.state);
  }

  /** Bad input or a bug in one handler must not take the view down: report it and carry on. */
  private guard(action: () => unknown): void {
    try {
      action();
    } catch (e) {
      const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
      this.controls.setStatus(`Something went wrong: ${e instanceof Error ? e.message : String(e)}`);
      this.host.postError(message);
    }
  }
}

/** Causal with one axis set; every other axis False where the call did not give is_causal. */
function causalWith(fields: PartialConfig, axis: number, checked: boolean): boolean[] {
  const causal = fields.causal ?? new Array<boolean>(rankOf(fields)).fill(false);
  return causal.map((c, i) => (i === axis ? checked : c));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function toMessage(config: PreviewConfig) {
  return {
    inputSize: [...config.inputSize],
    windowSize: [...config.windowSize],
    stride: [...config.stride],
    dilation: [...config.dilation],
    causal: [...config.causal],
    qTile: [...config.qTile],
    kvTile: [...config.kvTile],
  };
}
