// The typed protocol between the extension host and the mask preview webview: one discriminated
// union per direction, each message validated with zod where it is received (the host never
// trusts the webview, the webview never trusts what arrives on `message`). Pure: no DOM, no
// `vscode`. Values are shape-checked here; the NATTEN rules stay in the core's checks.

import { z } from 'zod';
import { GnaConfigSchema, HardwareSchema, PartialGnaConfigSchema } from '../../extension/core/schema';
import { parseWith, Parsed, RequestIdSchema } from './common';

const Int = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
const Tuple = z.array(Int).min(1).max(3);

/** Every per-axis value spelled out; lengths may disagree (the core's checks report that). */
export const PreviewConfigSchema = GnaConfigSchema;
export type PreviewConfigMessage = z.infer<typeof PreviewConfigSchema>;

/** A call's config as far as it is known: the values it does not give are absent. */
export const PartialConfigSchema = PartialGnaConfigSchema;
export type PartialConfigMessage = z.infer<typeof PartialConfigSchema>;

/** A value the call does not give, and why (the linter's words). */
export const MissingValueSchema = z.object({
  parameter: z.enum(['input_size', 'kernel_size', 'stride', 'dilation', 'is_causal']),
  reason: z.string().max(2000),
});

export { HardwareSchema };

/** The document and call a config came from, so a write-back can find it again. */
export const CallRefSchema = z.object({
  uri: z.string().min(1).max(4096),
  /** Start offset of the call (UTF-16) in the document version below. */
  offset: z.number().int().nonnegative(),
  version: z.number().int(),
  /** The dict entry the config came from, for a call reported once per entry. */
  variant: z.string().max(4200).optional(),
});
export type CallRef = z.infer<typeof CallRefSchema>;

export const SourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('call'),
    call: CallRefSchema,
    /** `na2d`, `NeighborhoodAttention3D`, … */
    op: z.string().max(200),
    /** `model.py:42`, for the header. */
    label: z.string().max(4200),
    layoutSource: z.enum(['annotation', 'code', 'setting', 'trace', 'none']),
    /** The call's configs to choose among (a backbone's layers, a dict's entries), when it has several. */
    configs: z
      .array(z.object({ variant: z.string().max(4200), label: z.string().max(4400) }))
      .max(64)
      .optional(),
  }),
  z.object({
    kind: z.literal('free'),
    /** Why no call is followed (no editor, cursor outside calls, unresolved values). */
    reason: z.string().max(2000),
  }),
]);
export type PreviewSource = z.infer<typeof SourceSchema>;

export const HostMessageSchema = z.discriminatedUnion('type', [
  // Host → webview, when the cursor enters, leaves or edits a call, the settings change, or the
  // webview said `ready`: what to show. A call's `config` lacks the values the call does not
  // give (`missing` says why; the page asks for them); it is absent for a free source (the page
  // keeps its own).
  z.object({
    type: z.literal('show'),
    source: SourceSchema,
    config: PartialConfigSchema.optional(),
    missing: z.array(MissingValueSchema).max(5).optional(),
    hardware: HardwareSchema,
    /** A note for the status line. */
    notice: z.string().max(4000).optional(),
  }),
  // Host → webview, answering `writeBack`: whether the edit was applied, in words for the panel.
  z.object({ type: z.literal('writeBackResult'), requestId: RequestIdSchema, ok: z.boolean(), message: z.string().max(4000) }),
  // Host → webview, answering `exportPng`: where the picture went, or why not.
  z.object({ type: z.literal('exportResult'), requestId: RequestIdSchema, ok: z.boolean(), message: z.string().max(4000) }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** PNG bytes as base64: 32 MiB (24 MiB of PNG) is far above a preview picture and bounds a bad message. */
export const MAX_PNG_BASE64 = 32 * 1024 * 1024;

/** What the webview reports as drawn, after each committed change (tests and the output log read it). */
export const RenderedSchema = z.object({
  rank: z.number().int().min(1).max(3),
  inputSize: Tuple,
  query: Tuple,
  slice: Int,
  /** Keys the selected query attends (the core's count). */
  keys: Int,
  /** Display cells per state in the token grid, a digest of what is on screen. */
  attendedCells: Int,
  strideGroupCells: Int,
  qTileIndex: Int,
  simulated: z.string().max(40),
  /** Canvas sizes in CSS pixels, by canvas id. */
  canvases: z.record(z.string().max(40), z.tuple([z.number(), z.number()])),
  drawMs: z.number().nonnegative(),
});
export type Rendered = z.infer<typeof RenderedSchema>;

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  // Webview → host, once its script runs (and after a reload): send me the current `show`.
  z.object({ type: z.literal('ready') }),
  // Webview → host, "Write to source": replace the call's mask arguments with the panel's
  // config, as one undoable edit, if the document is still at `call.version`.
  z.object({ type: z.literal('writeBack'), requestId: RequestIdSchema, call: CallRefSchema, config: PreviewConfigSchema }),
  // Webview → host, "Export PNG": the picture's bytes; the host asks where to save them.
  z.object({
    type: z.literal('exportPng'),
    requestId: RequestIdSchema,
    fileName: z.string().regex(/^[\w.-]{1,120}\.png$/),
    pngBase64: z.string().max(MAX_PNG_BASE64).regex(/^[A-Za-z0-9+/]+={0,2}$/),
  }),
  // Webview → host, "Open beside": show the preview as an editor panel next to the code.
  z.object({ type: z.literal('openPanel') }),
  // Webview → host, a config picked among the shown call's configs: show that one.
  z.object({ type: z.literal('pickConfig'), variant: z.string().max(4200) }),
  // Webview → host, after a committed change is drawn (not on every hover): see RenderedSchema.
  z.object({ type: z.literal('rendered'), rendered: RenderedSchema }),
  // Webview → host, an exception in the webview, for the output channel.
  z.object({ type: z.literal('error'), message: z.string().max(8000) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

export const parseHostMessage = (data: unknown): Parsed<HostMessage> => parseWith(HostMessageSchema, data);
export const parseWebviewMessage = (data: unknown): Parsed<WebviewMessage> => parseWith(WebviewMessageSchema, data);
