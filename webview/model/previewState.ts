// The preview page's state rules, as a pure reducer (the page wires it to its controls in
// preview/app.ts): which config is shown, and who wins when the host and the page disagree.
// - Following the editor (the default), the host's `show` decides: a call's config replaces what
//   is shown; no call (a free source) brings back the user's own free config.
// - Not following, the host's shows are remembered but not shown; following again applies the
//   latest one.
// - Edits in the page change what is shown; in free mode they become the free config, so a
//   followed call's config never overwrites the user's own.
// - Hardware picked in the page wins over the host's settings (and sets the tiles of that family).
// - The selected query is kept for the same call and starts over for another one.

import { Hardware, PreviewConfig, sameConfig, starterConfig, supportedHardware, tilesFor } from './config';
import type { Selection } from './preview';

/** Where the shown config comes from (the protocol's PreviewSource fits this). */
export type SourceLike =
  | { readonly kind: 'call'; readonly op: string; readonly call: { readonly uri: string; readonly offset: number } }
  | { readonly kind: 'free' };

/** The host's `show`: what it follows, that call's config (absent: keep the page's), its settings. */
export interface HostShow<S extends SourceLike> {
  readonly source: S;
  readonly config?: PreviewConfig;
  readonly hardware: Hardware;
  readonly notice?: string;
}

export interface PreviewState<S extends SourceLike> {
  readonly follow: boolean;
  readonly source: S;
  /** The host's latest show, applied when following is switched back on. */
  readonly lastShow?: HostShow<S>;
  /** The followed call's config as the host sent it (what a write-back would change). */
  readonly callConfig?: PreviewConfig;
  /** The user's own config, shown when no call is followed. */
  readonly freeConfig: PreviewConfig;
  /** What the page shows. */
  readonly config: PreviewConfig;
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
  | { readonly type: 'edit'; readonly config: PreviewConfig }
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
      const tiles = tilesFor(chosenHardware, state.config.inputSize.length);
      return { state: edit({ ...state, chosenHardware }, { ...state.config, qTile: tiles.q, kvTile: tiles.kv }), reconfigured: true };
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
  if (!valid) return { enabled: false, why: 'Fix the config first: only a valid config is written' };
  const changed = !sameConfig(state.config, state.callConfig);
  return { enabled: changed, why: changed ? `Write this config into ${state.source.op}(…) (undo with Ctrl+Z)` : 'The call already has this config' };
}

function applyShow<S extends SourceLike>(state: PreviewState<S>, show: HostShow<S>): Step<S> {
  const { selection, callConfig: _call, ...rest } = state;
  // Another call (or the free config) starts at the centre; the same call keeps its query.
  const kept = sourceKey(show.source) === sourceKey(state.source) && selection ? { selection } : {};
  const next =
    show.source.kind === 'call' && show.config
      ? { ...rest, ...kept, source: show.source, callConfig: show.config, config: show.config }
      : { ...rest, ...kept, source: show.source, config: state.freeConfig };
  return { state: next, reconfigured: true, status: show.notice ?? '' };
}

function edit<S extends SourceLike>(state: PreviewState<S>, config: PreviewConfig): PreviewState<S> {
  return { ...state, config, ...(state.source.kind === 'free' ? { freeConfig: config } : {}) };
}

/** The followed call's identity (its document and place), or the free config's. */
function sourceKey(source: SourceLike): string {
  return source.kind === 'call' ? `${source.call.uri}#${source.call.offset}` : 'free';
}
