// The panel's controls (webview-ui-toolkit elements): the config as tuple fields, causal per axis,
// GPU family, head dim and tile presets, and the actions. Every control has a visible label or
// an aria-label and is reachable with Tab; the fields keep what the user is typing.

import { GPU_FAMILIES, GpuFamily, presetsFor, supportedHeadDims } from '../../extension/core/presets';
import { formatTuple } from '../../extension/core/problem';
import type { ConfigIssue, Hardware } from '../model/config';
import { tupleText } from '../model/config';
import type { NumberRow } from '../model/numbers';
import { MissingValue, PartialConfig, rankOf } from '../model/prefill';
import { codeSpans } from '../model/codeSpans';
import { clear, el, setText } from './dom';

export type TupleField = 'inputSize' | 'windowSize' | 'stride' | 'dilation' | 'qTile' | 'kvTile';

const FIELDS: { field: TupleField; label: string; parameter: string; hint: string }[] = [
  { field: 'inputSize', label: 'Token layout', parameter: 'input_size', hint: 'e.g. 30, 48, 80 (1 to 3 axes)' },
  { field: 'windowSize', label: 'Window (kernel_size)', parameter: 'kernel_size', hint: 'one value or one per axis' },
  { field: 'stride', label: 'Stride', parameter: 'stride', hint: 'one value or one per axis' },
  { field: 'dilation', label: 'Dilation', parameter: 'dilation', hint: 'one value or one per axis' },
  { field: 'qTile', label: 'Q tile', parameter: 'q_tile_shape', hint: 'tokens per axis' },
  { field: 'kvTile', label: 'KV tile', parameter: 'kv_tile_shape', hint: 'tokens per axis' },
];

export interface ControlEvents {
  tupleInput(field: TupleField, text: string): void;
  causal(axis: number, checked: boolean): void;
  /** "Not causal": sets is_causal to False on every axis (offered while the call does not give it). */
  notCausal(): void;
  hardware(hardware: Hardware): void;
  preset(q: readonly number[], kv: readonly number[]): void;
  applyStride(): void;
  writeBack(): void;
  exportPng(): void;
  openPanel(): void;
  follow(on: boolean): void;
  /** A config picked among the call's configs (its variant). */
  pickConfig(variant: string): void;
}

interface ValueElement extends HTMLElement {
  value: string;
}
interface CheckElement extends HTMLElement {
  checked: boolean;
}
interface ToggleElement extends HTMLElement {
  disabled: boolean;
}

export class Controls {
  readonly root: HTMLElement;
  private readonly fields = new Map<TupleField, ValueElement>();
  private readonly fieldErrors = new Map<TupleField, HTMLElement>();
  private readonly causalBox: HTMLElement;
  private readonly family: ValueElement;
  private readonly headDim: ValueElement;
  private readonly preset: ValueElement;
  private readonly issues: HTMLElement;
  private readonly numbers: HTMLElement;
  private readonly applyStrideButton: ToggleElement;
  private readonly writeBackButton: ToggleElement;
  private readonly followBox: CheckElement;
  private readonly sourceLine: HTMLElement;
  private readonly missing: HTMLElement;
  private readonly configPick: ValueElement;
  private readonly configPickRow: HTMLElement;
  private shownVariant?: string;
  private readonly notCausalButton: HTMLElement;
  /** Over the picture: what it is (a call's config, the call with the user's values, an example). */
  readonly caption: HTMLElement;
  private readonly status: HTMLElement;
  private presetShapes: { q: readonly number[]; kv: readonly number[] }[] = [];
  private causalRank = -1;

  constructor(private readonly events: ControlEvents, options: { inPanel: boolean }) {
    this.sourceLine = el('p', { id: 'source', class: 'source' });
    this.missing = el('div', { id: 'missing', class: 'missing-values', role: 'status', 'aria-live': 'polite', hidden: true });
    this.caption = el('p', { id: 'drawn-as', class: 'drawn-as' });
    this.configPick = el('vscode-dropdown', { id: 'config-pick', 'aria-label': 'Config of this call' }) as ValueElement;
    this.configPick.addEventListener('change', () => {
      if (this.configPick.value && this.configPick.value !== this.shownVariant) this.events.pickConfig(this.configPick.value);
    });
    this.configPickRow = el('label', { class: 'dropdown-label config-pick', hidden: true }, el('span', {}, 'Config of this call'), this.configPick);
    // What scrolls into view (keyboard focus, a selected row) stops below the sticky caption, not under it.
    new ResizeObserver(() => document.documentElement.style.setProperty('--drawn-as-height', `${this.caption.offsetHeight}px`)).observe(this.caption);
    this.followBox = el('vscode-checkbox', { id: 'follow', checked: true }, 'Follow the editor') as CheckElement;
    this.followBox.addEventListener('change', () => this.events.follow(this.followBox.checked));
    this.writeBackButton = el('vscode-button', { id: 'write-back', appearance: 'primary', disabled: true, title: 'Replace the call’s mask arguments with this config (undo with Ctrl+Z)' }, 'Write to source') as ToggleElement;
    this.writeBackButton.addEventListener('click', () => this.events.writeBack());
    const exportButton = el('vscode-button', { id: 'export-png', appearance: 'secondary', title: 'Save the current picture as a PNG file' }, 'Export PNG');
    exportButton.addEventListener('click', () => this.events.exportPng());
    const actions = el('div', { class: 'actions' }, this.followBox, this.writeBackButton, exportButton);
    if (!options.inPanel) {
      const openButton = el('vscode-button', { id: 'open-panel', appearance: 'secondary', title: 'Open this preview as an editor panel beside the code' }, 'Open beside');
      openButton.addEventListener('click', () => this.events.openPanel());
      actions.append(openButton);
    }
    this.status = el('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });

    const grid = el('div', { class: 'fields' });
    for (const f of FIELDS) {
      const input = el('vscode-text-field', { id: `field-${f.field}`, placeholder: f.hint, 'aria-label': `${f.label} (${f.parameter})` }, f.label) as ValueElement;
      input.addEventListener('input', () => this.events.tupleInput(f.field, input.value));
      const error = el('span', { class: 'field-error', id: `field-${f.field}-error`, 'aria-live': 'polite' });
      grid.append(el('div', { class: 'field' }, input, error));
      this.fields.set(f.field, input);
      this.fieldErrors.set(f.field, error);
    }
    this.causalBox = el('div', { class: 'causal', role: 'group', 'aria-label': 'Causal per axis (is_causal)' });
    this.notCausalButton = el('vscode-button', { id: 'not-causal', appearance: 'secondary', hidden: true, title: 'Set is_causal=False on every axis' }, 'Not causal');
    this.notCausalButton.addEventListener('click', () => this.events.notCausal());

    this.family = el('vscode-dropdown', { id: 'family', 'aria-label': 'GPU family' }) as ValueElement;
    for (const f of GPU_FAMILIES) this.family.append(el('vscode-option', { value: f }, f));
    this.headDim = el('vscode-dropdown', { id: 'head-dim', 'aria-label': 'Head dim' }) as ValueElement;
    this.preset = el('vscode-dropdown', { id: 'preset', 'aria-label': 'Tile preset for the GPU family' }) as ValueElement;
    this.family.addEventListener('change', () => this.events.hardware({ family: this.family.value as GpuFamily, headDim: Number(this.headDim.value) }));
    this.headDim.addEventListener('change', () => this.events.hardware({ family: this.family.value as GpuFamily, headDim: Number(this.headDim.value) }));
    this.preset.addEventListener('change', () => {
      const shape = this.presetShapes[Number(this.preset.value)];
      if (shape) this.events.preset(shape.q, shape.kv);
    });
    const hardwareRow = el(
      'div',
      { class: 'hardware' },
      el('label', { class: 'dropdown-label' }, el('span', {}, 'GPU family'), this.family),
      el('label', { class: 'dropdown-label' }, el('span', {}, 'Head dim'), this.headDim),
      el('label', { class: 'dropdown-label' }, el('span', {}, 'Tile preset'), this.preset),
    );

    this.issues = el('ul', { id: 'issues', class: 'issues', role: 'alert' });
    this.numbers = el('dl', { id: 'numbers', class: 'numbers', 'aria-label': 'Simulated numbers' });
    this.applyStrideButton = el('vscode-button', { id: 'apply-stride', appearance: 'secondary', disabled: true }, 'Use recommended stride') as ToggleElement;
    this.applyStrideButton.addEventListener('click', () => this.events.applyStride());

    this.root = el(
      'section',
      { class: 'controls', 'aria-label': 'Config' },
      this.sourceLine,
      this.configPickRow,
      this.missing,
      actions,
      this.status,
      // Foldable, so a narrow side bar can give its height to the picture.
      el('details', { class: 'config', open: true }, el('summary', {}, 'Config (window, stride, dilation, causal, tiles)'), grid, this.causalBox, this.notCausalButton, hardwareRow),
      this.issues,
      this.numbers,
      this.applyStrideButton,
    );
  }

  /**
   * Shows a config; a field the user is typing in keeps its text. A value the call does not give
   * is an empty field marked missing, its placeholder saying what to enter.
   */
  showConfig(config: PartialConfig, hardware: Hardware): void {
    for (const f of FIELDS) {
      const input = this.fields.get(f.field)!;
      const values = config[f.field];
      input.classList.toggle('missing', values === undefined);
      input.setAttribute('placeholder', values === undefined ? `enter ${f.parameter}` : f.hint);
      if (input.matches(':focus-within')) continue;
      const text = values === undefined ? '' : tupleText(values);
      if (input.value !== text) input.value = text;
    }
    this.showCausal(config.causal, rankOf(config));
    this.showHardware(hardware, config);
  }

  /** The values still to enter, each with why the code does not give it; hidden when none. */
  showMissing(message: string, missing: readonly MissingValue[]): void {
    clear(this.missing);
    this.missing.hidden = missing.length === 0;
    if (missing.length === 0) return;
    this.missing.append(el('p', { class: 'missing-message' }, message), el('ul', {}, ...missing.map((m) => el('li', {}, el('code', {}, m.parameter), ': ', ...codeSpans(m.reason).map((span) => (span.code ? el('code', {}, span.text) : span.text))))));
  }

  /** The caption over the picture (empty hides it). */
  showCaption(text: string, kind: string): void {
    setText(this.caption, text);
    this.caption.hidden = text === '';
    this.caption.dataset.kind = kind;
  }

  private showCausal(causal: readonly boolean[] | undefined, rank: number): void {
    if (this.causalRank !== rank) {
      clear(this.causalBox);
      this.causalBox.append(el('span', { class: 'group-label' }, 'Causal'));
      for (let axis = 0; axis < rank; axis++) {
        const box = el('vscode-checkbox', { id: `causal-${axis}` }, `axis ${axis}`) as CheckElement;
        box.addEventListener('change', () => this.events.causal(axis, box.checked));
        this.causalBox.append(box);
      }
      this.causalRank = rank;
    }
    this.causalBox.classList.toggle('missing', causal === undefined);
    this.notCausalButton.hidden = causal !== undefined;
    for (let axis = 0; axis < rank; axis++) {
      const box = this.causalBox.querySelector(`#causal-${axis}`) as CheckElement | null;
      const c = causal?.[axis] ?? false;
      if (box && box.checked !== c) box.checked = c;
    }
  }

  private showHardware(hardware: Hardware, config: PartialConfig): void {
    if (this.family.value !== hardware.family) this.family.value = hardware.family;
    const dims = supportedHeadDims(hardware.family).map(String);
    if ([...this.headDim.children].map((o) => o.getAttribute('value')).join() !== dims.join()) {
      clear(this.headDim);
      for (const d of dims) this.headDim.append(el('vscode-option', { value: d }, d));
    }
    if (this.headDim.value !== String(hardware.headDim)) this.headDim.value = String(hardware.headDim);
    const presets = presetsFor(hardware.family, rankOf(config), hardware.headDim);
    const labels = presets.map((p) => `Q ${formatTuple(p.q)} · KV ${formatTuple(p.kv)}`);
    const current = presets.findIndex((p) => same(p.q, config.qTile) && same(p.kv, config.kvTile));
    const options = [...labels, ...(current < 0 ? [`custom: Q ${formatTuple(config.qTile)} · KV ${formatTuple(config.kvTile)}`] : [])];
    if ([...this.preset.children].map((o) => o.textContent).join('|') !== options.join('|')) {
      clear(this.preset);
      options.forEach((label, i) => this.preset.append(el('vscode-option', { value: String(i) }, label)));
    }
    this.presetShapes = presets;
    const selected = String(current < 0 ? presets.length : current);
    if (this.preset.value !== selected) this.preset.value = selected;
  }

  showFieldError(field: TupleField, message: string | undefined): void {
    setText(this.fieldErrors.get(field)!, message ?? '');
    this.fields.get(field)!.classList.toggle('invalid', message !== undefined);
  }

  showIssues(issues: readonly ConfigIssue[]): void {
    clear(this.issues);
    for (const issue of issues) this.issues.append(el('li', {}, issue.message));
  }

  showNumbers(rows: readonly NumberRow[]): void {
    clear(this.numbers);
    for (const row of rows) {
      // A short label and value; how the value was obtained is its tooltip (a paragraph in a narrow sidebar otherwise).
      this.numbers.append(el('dt', {}, row.label), el('dd', { id: `number-${row.id}`, title: row.detail }, row.value));
    }
  }

  /** The call's configs to pick among (hidden for a call with one), `current` selected. */
  showConfigs(configs: readonly { variant: string; label: string }[] | undefined, current: string | undefined): void {
    const list = configs ?? [];
    this.configPickRow.hidden = list.length < 2;
    this.shownVariant = current;
    const labels = list.map((c) => c.label);
    if ([...this.configPick.children].map((o) => o.textContent).join('\n') !== labels.join('\n')) {
      clear(this.configPick);
      for (const c of list) this.configPick.append(el('vscode-option', { value: c.variant }, c.label));
    }
    if (current !== undefined && this.configPick.value !== current) this.configPick.value = current;
  }

  setSource(text: string, following: boolean): void {
    setText(this.sourceLine, text);
    this.sourceLine.classList.toggle('following', following);
  }

  setFollow(on: boolean): void {
    if (this.followBox.checked !== on) this.followBox.checked = on;
  }

  setStatus(text: string): void {
    setText(this.status, text);
  }

  enableWriteBack(enabled: boolean, reason: string): void {
    this.writeBackButton.disabled = !enabled;
    this.writeBackButton.title = reason;
  }

  enableApplyStride(enabled: boolean): void {
    this.applyStrideButton.disabled = !enabled;
  }
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
