// The preview page's state rules, as a pure reducer (the page wires it to its controls in
// preview/app.ts): which config is shown, and who wins when the host and the page disagree.
// - Following the editor (the default), the host's `show` decides: a call's config replaces what
//   is shown; no call (a free source) brings back the user's own free config (or the example).
// - A call's config may lack values the call does not give: the form shows what is known, nothing
//   is drawn until the user enters the rest, and what is then drawn is the call with those values.
// - Not following, the host's shows are remembered but not shown; following again applies the
//   latest one.
// - Edits in the page change what is shown; in free mode they become the free config, so a
//   followed call's config never overwrites the user's own.
// - Hardware picked in the page wins over the host's settings (and sets the tiles of that family).
// - The selected query is kept for the same call and starts over for another one.

import type { Parameter } from '../../extension/core/validate';
import { Hardware, PreviewConfig, sameConfig, starterConfig, supportedHardware, tilesFor } from './config';
import { completeConfig, enteredFields, enteredValues, listWords, missingMessage, missingParameters, MissingValue, PartialConfig, rankOf, samePartial } from './prefill';
import type { Selection } from './preview';

/** Where the shown config comes from (the protocol's PreviewSource fits this). */
export type SourceLike =
  | { readonly kind: 'call'; readonly op: string; readonly call: { readonly uri: string; readonly offset: number }; readonly label?: string }
  | { readonly kind: 'free' };

/**
 * The host's `show`: what it follows, that call's config as far as it is known (absent: keep the
 * page's), why the values it lacks are missing, its settings.
 */
export interface HostShow<S extends SourceLike> {
  readonly source: S;
  readonly config?: PartialConfig;
  readonly missing?: readonly MissingValue[];
  readonly hardware: Hardware;
  readonly notice?: string;
}

export interface PreviewState<S extends SourceLike> {
  readonly follow: boolean;
  readonly source: S;
  /** The host's latest show, applied when following is switched back on. */
  readonly lastShow?: HostShow<S>;
  /** The followed call's config as the host sent it (what a write-back would change); values it does not give are absent. */
  readonly callConfig?: PartialConfig;
  /** Why each value the followed call does not give is missing. */
  readonly missing?: readonly MissingValue[];
  /** The user's own config, shown when no call is followed. */
  readonly freeConfig: PreviewConfig;
  /** What the form shows: the call's values and the user's edits (values may be absent on a call). */
  readonly fields: PartialConfig;
  /** What the page draws: `fields` once every value is known (the same object), else undefined. */
  readonly config?: PreviewConfig;
  readonly hostHardware: Hardware;
  /** Picked in the page: wins over the host's settings. */
  readonly chosenHardware?: Hardware;
  readonly selection?: Selection;
}

/** What the page keeps across hide/show and reloads. */
export interface KeptState {
  readonly freeConfig: PreviewConfig;
  readonly follow: boolean;
  readonly hardware?: Hardware;
  readonly selection?: Selection;
}

export type PreviewEvent<S extends SourceLike> =
  | { readonly type: 'show'; readonly show: HostShow<S> }
  | { readonly type: 'follow'; readonly on: boolean }
  | { readonly type: 'edit'; readonly config: PartialConfig }
  | { readonly type: 'hardware'; readonly hardware: Hardware }
  | { readonly type: 'select'; readonly selection: Selection | undefined };

export interface Step<S extends SourceLike> {
  readonly state: PreviewState<S>;
  /** The shown config was (re)set: the page rebuilds its picture. */
  readonly reconfigured: boolean;
  /** Set when the step decides the status line: the applied show's notice, or empty. */
  readonly status?: string;
}

export const DEFAULT_HARDWARE: Hardware = { family: 'hopper', headDim: 128 };

export function initialState<S extends SourceLike>(kept: KeptState | undefined, source: S): PreviewState<S> {
  const hardware = kept?.hardware ?? DEFAULT_HARDWARE;
  const freeConfig = kept?.freeConfig ?? starterConfig(hardware);
  return {
    follow: kept?.follow ?? true,
    source,
    freeConfig,
    fields: freeConfig,
    config: freeConfig,
    hostHardware: DEFAULT_HARDWARE,
    ...(kept?.hardware ? { chosenHardware: kept.hardware } : {}),
    ...(kept?.selection ? { selection: kept.selection } : {}),
  };
}

/** The hardware the page draws for: the page's pick, else the host's settings. */
export function hardwareOf(state: PreviewState<SourceLike>): Hardware {
  return state.chosenHardware ?? state.hostHardware;
}

export function kept(state: PreviewState<SourceLike>): KeptState {
  return {
    freeConfig: state.freeConfig,
    follow: state.follow,
    ...(state.chosenHardware ? { hardware: state.chosenHardware } : {}),
    ...(state.selection ? { selection: state.selection } : {}),
  };
}

export function reduce<S extends SourceLike>(state: PreviewState<S>, event: PreviewEvent<S>): Step<S> {
  switch (event.type) {
    case 'show': {
      const next = { ...state, lastShow: event.show, hostHardware: supportedHardware(event.show.hardware.family, event.show.hardware.headDim) };
      return next.follow ? applyShow(next, event.show) : { state: next, reconfigured: false };
    }
    case 'follow': {
      const next = { ...state, follow: event.on };
      return event.on && next.lastShow ? applyShow(next, next.lastShow) : { state: next, reconfigured: false };
    }
    case 'edit':
      return { state: edit(state, event.config), reconfigured: true };
    case 'hardware': {
      const chosenHardware = supportedHardware(event.hardware.family, event.hardware.headDim);
      const tiles = tilesFor(chosenHardware, rankOf(state.fields));
      return { state: edit({ ...state, chosenHardware }, { ...state.fields, qTile: tiles.q, kvTile: tiles.kv }), reconfigured: true };
    }
    case 'select': {
      const { selection: _old, ...rest } = state;
      return { state: event.selection ? { ...rest, selection: event.selection } : rest, reconfigured: false };
    }
  }
}

/** Whether "Write to source" can run now, and its tooltip. `valid`: the shown config passes the checks. */
export function writeBackState(state: PreviewState<SourceLike>, valid: boolean): { enabled: boolean; why: string } {
  if (state.source.kind !== 'call' || !state.callConfig) return { enabled: false, why: 'Put the cursor in a GNA call to write a config back to it' };
  const missing = missingParameters(state.fields);
  if (missing.length > 0) return { enabled: false, why: `Enter ${listWords(missing)} first` };
  if (!valid) return { enabled: false, why: 'Fix the config first: only a valid config is written' };
  const changed = !samePartial(state.fields, state.callConfig);
  const entered = enteredValues(state.callConfig, state.fields);
  if (!changed) return { enabled: false, why: 'The call already has this config' };
  if (entered.length === 0) return { enabled: true, why: `Write this config into ${state.source.op}(…) (undo with Ctrl+Z)` };
  const values = entered.map((e) => `${e.parameter}=${e.text}`).join(', ');
  return { enabled: true, why: `Write into ${state.source.op}(…): your ${values} where the call leaves it out, else in its # gna: annotation, never over what the code passes (undo with Ctrl+Z)` };
}

/** The values the followed call does not give and the form still lacks, with why. */
export function stillMissing(state: PreviewState<SourceLike>): MissingValue[] {
  if (state.source.kind !== 'call') return [];
  const reasons = new Map((state.missing ?? []).map((m) => [m.parameter, m.reason]));
  return missingParameters(state.fields).map((parameter) => ({ parameter, reason: reasons.get(parameter) ?? `${parameter} is not known` }));
}

/** What the preview is showing, in words, for the line at the top and the label over the picture. */
export interface SourceWords {
  /** `call`: the call's own config; `entered`: the call with values the user entered; `missing`: nothing drawn yet; `example` / `own`: no call. */
  readonly kind: 'call' | 'entered' | 'missing' | 'example' | 'own';
  /** Over the picture (empty when nothing is drawn). */
  readonly caption: string;
  /** Said after the source line: what to enter, or which values are the user's. */
  readonly detail: string;
  /** The missing parameters, for the form to mark. */
  readonly missing: readonly Parameter[];
}

/**
 * How the shown config relates to the code: the followed call's own config, that call with the
 * values the user entered (never passed off as the call's), nothing yet (values to enter), or, away
 * from any call, the example or the user's own config (never to be taken for a call's).
 */
export function describeShown(state: PreviewState<SourceLike>, hardware = hardwareOf(state)): SourceWords {
  if (state.source.kind === 'free') {
    const example = sameConfig(state.freeConfig, starterConfig(hardware));
    return example
      ? { kind: 'example', caption: 'Example config, not from your code', detail: '', missing: [] }
      : { kind: 'own', caption: 'Your own config, not from your code', detail: '', missing: [] };
  }
  const missing = missingParameters(state.fields);
  if (missing.length > 0) return { kind: 'missing', caption: '', detail: missingMessage(missing), missing };
  const call = state.source.label ? `${state.source.op} at ${state.source.label}` : state.source.op;
  const entered = state.callConfig ? enteredValues(state.callConfig, state.fields) : [];
  if (entered.length === 0) return { kind: 'call', caption: call, detail: '', missing: [] };
  const values = entered.map((e) => `${e.parameter}=${e.text}`).join(', ');
  return { kind: 'entered', caption: `${call} with your ${values} (not in the code)`, detail: `drawn with your ${values}, not in the code`, missing: [] };
}

function applyShow<S extends SourceLike>(state: PreviewState<S>, show: HostShow<S>): Step<S> {
  const { selection, callConfig: _call, missing: _missing, ...rest } = state;
  // Another call (or the free config) starts at the centre; the same call keeps its query.
  const kept = sourceKey(show.source) === sourceKey(state.source) && selection ? { selection } : {};
  // The same call shown again (its file edited elsewhere): values the user entered for what it
  // still does not give are kept.
  const entered = sourceKey(show.source) === sourceKey(state.source) && state.callConfig ? enteredFields(state.callConfig, state.fields) : {};
  const next: PreviewState<S> =
    show.source.kind === 'call' && show.config
      ? withFields({ ...rest, ...kept, source: show.source, callConfig: show.config, ...(show.missing ? { missing: show.missing } : {}) }, Object.keys(entered).length > 0 ? { ...entered, ...show.config } : show.config)
      : withFields({ ...rest, ...kept, source: show.source }, state.freeConfig);
  return { state: next, reconfigured: true, status: show.notice ?? '' };
}

function edit<S extends SourceLike>(state: PreviewState<S>, fields: PartialConfig): PreviewState<S> {
  const next = withFields(state, fields);
  return state.source.kind === 'free' && next.config ? { ...next, freeConfig: next.config } : next;
}

/** The state with these fields, drawing them once complete. */
function withFields<S extends SourceLike>(state: PreviewState<S>, fields: PartialConfig): PreviewState<S> {
  const { config: _old, ...rest } = state;
  const config = completeConfig(fields);
  return { ...rest, fields, ...(config ? { config } : {}) };
}

/** The followed call's identity (its document and place), or the free config's. */
function sourceKey(source: SourceLike): string {
  return source.kind === 'call' ? `${source.call.uri}#${source.call.offset}` : 'free';
}
