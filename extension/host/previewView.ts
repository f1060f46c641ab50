// The mask preview: a webview view in the GNA activity-bar container and, on request, the same
// page as an editor panel beside the code. Both follow the active Python editor: the call under
// the cursor (the linter's CallReport) is sent as a typed `show` message; a config edited in the
// page comes back as `writeBack` and becomes one undoable WorkspaceEdit on the call's argument
// ranges. Every message from a page is validated with zod before anything reads it.

import * as vscode from 'vscode';
import { resolveConfig } from '../../webview/model/config';
import type { HostMessage, Rendered, WebviewMessage } from '../../webview/protocol/preview';
import type { Ctx } from './context';
import { toRange } from './convert';
import { configOfCall, describeShow } from './previewConfig';
import { describePlan, planWriteBack } from './previewEdits';
import { isPng } from './previewExport';
import { parseCallRef, parseCallTarget } from './pure/calls';
import { configChoices } from './pure/configChoices';
import { describeConfig, NO_CURSOR_CALL } from './pure/commandMessages';
import { PREVIEW_COMMAND } from './pure/hoverMarkdown';
import { loadPage, PageChannel, pageOptions, PageRequest } from './webviewPage';

export const PREVIEW_VIEW_ID = 'gna.preview';
export const PREVIEW_PANEL_TYPE = 'gna.previewPanel';
export const OPEN_PANEL_COMMAND = 'gna.openPreviewPanel';

type ShowMessage = Extract<HostMessage, { type: 'show' }>;
type SurfaceKind = 'view' | 'panel';

/** One page showing the preview (the side-bar view or the editor panel). */
interface Surface {
  readonly kind: SurfaceKind;
  readonly channel: PageChannel<WebviewMessage, HostMessage>;
}

/** What the e2e tests read (through the extension's API), never written from outside. */
export interface PreviewState {
  readonly lastShow?: ShowMessage;
  rendered(kind: SurfaceKind): Rendered | undefined;
  readonly surfaces: readonly SurfaceKind[];
}

/** What `gna.previewMask` did: opened the view (with what), or warned about its argument. */
export interface PreviewOutcome {
  readonly shown: 'view' | 'warning';
  readonly message: string;
}

/** Where the `gna.previewMask` command pointed, until the cursor moves. */
interface Pinned {
  readonly uri: string;
  readonly offset: number;
  readonly variant?: string;
}

const REFRESH_DELAY_MS = 60;
/** Most configs the preview lists to choose among (the protocol's bound). */
const MAX_CONFIG_CHOICES = 64;
const EDIT_REFRESH_DELAY_MS = 250;

export class PreviewService implements vscode.Disposable, vscode.WebviewViewProvider {
  private readonly surfaces = new Map<SurfaceKind, Surface>();
  private readonly disposables: vscode.Disposable[] = [];
  private view?: vscode.WebviewView;
  private panel?: vscode.WebviewPanel;
  private editor?: vscode.TextEditor;
  private pinned?: Pinned;
  private current?: ShowMessage;
  private currentKey = '';
  private timer?: ReturnType<typeof setTimeout>;
  private refreshes = 0;

  /** A snapshot for the e2e tests. */
  get state(): PreviewState {
    return { lastShow: this.current, surfaces: [...this.surfaces.keys()], rendered: (kind) => this.surfaces.get(kind)?.channel.rendered };
  }

  constructor(private readonly ctx: Ctx) {
    this.editor = vscode.window.activeTextEditor;
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(PREVIEW_VIEW_ID, this),
      ctx.registerCommand(OPEN_PANEL_COMMAND, () => this.openPanel()),
      ctx.registerCommand(PREVIEW_COMMAND, (arg?: unknown) => this.previewCommand(arg)),
      // A focused webview panel leaves no active text editor: keep following the last one.
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor) return;
        this.editor = editor;
        this.pinned = undefined;
        this.schedule(REFRESH_DELAY_MS);
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        this.editor = event.textEditor;
        if (event.kind !== undefined) this.pinned = undefined;
        this.schedule(REFRESH_DELAY_MS);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === this.editor?.document && event.contentChanges.length > 0) this.schedule(EDIT_REFRESH_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document === this.editor?.document) {
          this.editor = undefined;
          this.schedule(REFRESH_DELAY_MS);
        }
      }),
      ctx.onDidInvalidate(() => this.schedule(REFRESH_DELAY_MS)),
    );
  }

  // ---- surfaces -------------------------------------------------------------------------

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const surface = this.attach('view', view.webview);
    this.disposables.push(
      view.onDidDispose(() => {
        this.surfaces.delete('view');
        this.view = undefined;
      }),
      // A hidden view's page is discarded; it says `ready` again when shown.
      view.onDidChangeVisibility(() => {
        if (!view.visible) surface.channel.ready = false;
      }),
    );
  }

  private openPanel(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_PANEL_TYPE, 'GNA Mask Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, pageOptions(this.ctx));
    this.panel = panel;
    this.attach('panel', panel.webview);
    panel.onDidDispose(() => {
      this.surfaces.delete('panel');
      this.panel = undefined;
    });
  }

  private attach(kind: SurfaceKind, webview: vscode.Webview): Surface {
    loadPage(this.ctx, webview, { name: 'preview', title: 'GNA mask preview', surface: kind });
    const surface: Surface = {
      kind,
      channel: new PageChannel<WebviewMessage, HostMessage>(
        this.ctx,
        `mask preview (${kind})`,
        webview,
        () => this.ctx.bundle('previewProtocol').parseWebviewMessage,
        (m) => this.receive(surface, m),
        (r) => `${r.inputSize.join('×')} query (${r.query.join(', ')}) ${r.keys} keys, drawn in ${r.drawMs.toFixed(1)} ms`,
      ),
    };
    this.surfaces.set(kind, surface);
    this.disposables.push(surface.channel);
    return surface;
  }

  // ---- following the editor -------------------------------------------------------------

  private schedule(delay: number): void {
    if (this.surfaces.size === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  /** Recomputes what to show and sends it to every ready page when it changed. */
  async refresh(): Promise<void> {
    const id = ++this.refreshes;
    let message: ShowMessage;
    try {
      message = await this.computeShow();
    } catch (e) {
      this.ctx.logError('mask preview', e);
      return;
    }
    if (id !== this.refreshes) return; // a newer refresh started meanwhile
    const key = JSON.stringify(message);
    this.current = message;
    if (key === this.currentKey) return;
    this.currentKey = key;
    for (const surface of this.surfaces.values()) surface.channel.post(message);
  }

  private async computeShow(): Promise<ShowMessage> {
    const editor = this.editor;
    const fallback = editor ? this.ctx.settings(editor.document).lint : {};
    const hardware = { family: fallback.family ?? 'hopper', headDim: fallback.headDim ?? 128 };
    const free = (reason: string): ShowMessage => ({ type: 'show', source: { kind: 'free', reason }, hardware });
    const pinned = this.pinned && this.pinned.uri === editor?.document.uri.toString() ? this.pinned : undefined;
    const at = await this.ctx.callAt(editor, pinned?.offset);
    if (at === 'changing' && this.current) return this.current;
    if (typeof at === 'string') return free(NO_CURSOR_CALL[at]);
    const { document, lint, calls: variants } = at;
    // A call configured from a dict is reported once per variant: the pinned one, else the first.
    const call = variants.find((c) => pinned?.variant !== undefined && c.variant === pinned.variant) ?? variants[0];
    const line = toRange(document, call.range).start.line + 1;
    const where = `${vscode.workspace.asRelativePath(document.uri, false)}:${line}`;
    const label = call.variant === undefined ? where : `${where} [${call.variant}: config ${variants.indexOf(call) + 1} of ${variants.length}]`;
    const choices = configChoices(variants).slice(0, MAX_CONFIG_CHOICES);
    // Values the call does not give stay absent: the page asks for them and draws nothing until then.
    const { config, missing } = configOfCall(call, lint.settings.lint.family ?? 'hopper', lint.settings.lint.headDim ?? 128);
    return {
      type: 'show',
      source: {
        kind: 'call',
        call: { uri: document.uri.toString(), offset: call.range.start, version: document.version, ...(call.variant !== undefined ? { variant: call.variant } : {}) },
        op: call.op,
        label,
        layoutSource: call.layoutSource,
        ...(choices.length > 1 ? { configs: choices } : {}),
      },
      config,
      ...(missing.length > 0 ? { missing: [...missing] } : {}),
      hardware,
    };
  }

  /**
   * `gna.previewMask` (lens, hover link or palette): reveal the view on that call (a complete
   * config's target, or the reference a lens of a partly known call gives), or on the call at the
   * cursor. Returns what it did, so tests can check it without reading the page.
   */
  private async previewCommand(arg?: unknown): Promise<PreviewOutcome> {
    let described: string | undefined;
    if (arg !== undefined) {
      const ref = parseCallRef(arg);
      if (typeof ref === 'string') {
        void vscode.window.showWarningMessage(ref);
        return { shown: 'warning', message: ref };
      }
      this.pinned = { uri: ref.uri, offset: ref.offset, ...(ref.variant !== undefined ? { variant: ref.variant } : {}) };
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === ref.uri);
      if (editor) this.editor = editor;
      const target = parseCallTarget(arg);
      if (typeof target !== 'string') described = describeConfig(target);
    }
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${PREVIEW_VIEW_ID}.focus`);
    await this.refresh();
    return { shown: 'view', message: `Mask preview of ${described ?? describeShow(this.current)}` };
  }

  // ---- messages from a page (validated by the page channel) ------------------------------

  private async receive(surface: Surface, message: PageRequest<WebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (!this.current) await this.refresh();
        if (this.current) surface.channel.post(this.current);
        return;
      case 'writeBack':
        surface.channel.post({ type: 'writeBackResult', requestId: message.requestId, ...(await this.writeBack(message)) });
        return;
      case 'exportPng':
        surface.channel.post({ type: 'exportResult', requestId: message.requestId, ...(await this.exportPng(message)) });
        return;
      case 'openPanel':
        this.openPanel();
        return;
      case 'pickConfig': {
        // Pinned like a lens's pick: until the cursor moves away.
        const source = this.current?.source;
        if (source?.kind !== 'call') return;
        this.pinned = { uri: source.call.uri, offset: source.call.offset, variant: message.variant };
        await this.refresh();
        return;
      }
    }
  }

  private async writeBack(message: Extract<WebviewMessage, { type: 'writeBack' }>): Promise<{ ok: boolean; message: string }> {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === message.call.uri);
    if (!document || document.isClosed) return { ok: false, message: 'The file of that call is no longer open; nothing was written.' };
    if (document.version !== message.call.version) {
      this.schedule(0);
      return { ok: false, message: 'The file changed since the preview was drawn; the preview has been refreshed, check it and write again.' };
    }
    const resolved = resolveConfig(message.config);
    if ('issues' in resolved) return { ok: false, message: `Not written, the config is not valid: ${resolved.issues.map((i) => i.message).join(' ')}` };
    const lint = await this.ctx.lint(document);
    const call = lint?.report.calls.find((c) => c.range.start === message.call.offset && c.variant === message.call.variant);
    if (!lint || lint.version !== document.version || !call) return { ok: false, message: 'Cannot find that call in the file any more; nothing was written.' };
    const plan = planWriteBack(document.getText(), call, message.config);
    if (typeof plan === 'string') return { ok: false, message: plan };
    if (plan.edits.length === 0) return { ok: true, message: describePlan(plan) };
    const edit = new vscode.WorkspaceEdit();
    for (const e of plan.edits) edit.replace(document.uri, toRange(document, e.range), e.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) return { ok: false, message: 'VS Code did not apply the edit (is the file read-only?).' };
    this.ctx.output.info(`mask preview: ${describePlan(plan)}`);
    return { ok: true, message: `${describePlan(plan)} Undo with Ctrl+Z in the editor.` };
  }

  private async exportPng(message: Extract<WebviewMessage, { type: 'exportPng' }>): Promise<{ ok: boolean; message: string }> {
    const bytes = Buffer.from(message.pngBase64, 'base64');
    if (!isPng(bytes)) return { ok: false, message: 'The picture is not a PNG; nothing was saved.' };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export the mask preview',
      filters: { 'PNG image': ['png'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, message.fileName) } : {}),
    });
    if (!target) return { ok: false, message: 'Export cancelled.' };
    await vscode.workspace.fs.writeFile(target, bytes);
    return { ok: true, message: `Saved ${vscode.workspace.asRelativePath(target, false)} (${bytes.length.toLocaleString('en-US')} bytes).` };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.surfaces.clear();
  }
}

export function register(ctx: Ctx): PreviewService {
  return new PreviewService(ctx);
}
