// The "Traced Layers" view (GNA activity bar): every attention call site of the workspace's
// traced run, each traced config with its simulated speedup, stale files marked, and the
// model-level estimate with the attention share the user gives (`gna.attentionShare`).

import { createHash } from 'crypto';
import * as vscode from 'vscode';
import { joinPath } from '../core/trace';
import type { GpuFamily } from '../core/presets';
import { configLabel, estimateLabel, modelEstimate, parseShare, TracedLayerConfig, TracedSite, tracedSites } from './pure/tracedLayers';
import type { LoadedTrace, TraceStore } from './traceStore';

export const TRACED_LAYERS_VIEW = 'gna.tracedLayers';
export const SET_ATTENTION_SHARE_COMMAND = 'gna.setAttentionShare';

type Node =
  | { kind: 'estimate'; label: string; tooltip: string }
  | { kind: 'site'; loaded: LoadedTrace; site: TracedSite; stale: boolean }
  | { kind: 'config'; loaded: LoadedTrace; site: TracedSite; config: TracedLayerConfig };

/** What the view shows, for tests: one line per node, children indented. */
export interface TracedLayersApi {
  lines(): Promise<string[]>;
}

export function register(store: TraceStore): vscode.Disposable & TracedLayersApi {
  const changed = new vscode.EventEmitter<void>();
  const staleFiles = new Map<string, boolean>();

  const uriOf = (loaded: LoadedTrace, file: string) => vscode.Uri.file(joinPath(loaded.folder.uri.fsPath, file));
  const isStale = async (loaded: LoadedTrace, file: string): Promise<boolean> => {
    const key = `${loaded.uri.toString()}\0${file}`;
    const known = staleFiles.get(key);
    if (known !== undefined) return known;
    let stale = true;
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriOf(loaded, file).toString());
      const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uriOf(loaded, file)));
      stale = createHash('sha256').update(text).digest('hex') !== loaded.trace.files[file]?.sha256;
    } catch {
      stale = true;
    }
    staleFiles.set(key, stale);
    return stale;
  };

  const family = (): GpuFamily => vscode.workspace.getConfiguration('gna').get<GpuFamily>('gpuFamily') ?? 'hopper';
  const share = (): number | undefined => {
    const v = vscode.workspace.getConfiguration('gna').get<unknown>('attentionShare');
    return typeof v === 'number' && v > 0 && v <= 1 ? v : undefined;
  };

  const children = async (node?: Node): Promise<Node[]> => {
    if (!node) {
      const out: Node[] = [];
      for (const loaded of store.all()) {
        const sites = tracedSites(loaded.trace, family());
        const estimate = modelEstimate(loaded.trace, sites, share());
        if (estimate) {
          const where = store.all().length > 1 ? `${loaded.folder.name}: ` : '';
          out.push({
            kind: 'estimate',
            label: `${where}${estimateLabel(estimate)}`,
            tooltip:
              `Attention's simulated speedup over the traced run: each call's dense cost (batch × heads × head dim × tokens²) against that cost ÷ its simulated speedup.` +
              (estimate.skipped > 0 ? ` ${estimate.skipped} calls not simulated are left out.` : '') +
              (estimate.endToEnd === undefined ? ' Set the attention share (GNA: Set Attention Share…) for the model-level estimate.' : ''),
          });
        }
        for (const site of sites) out.push({ kind: 'site', loaded, site, stale: await isStale(loaded, site.file) });
      }
      return out;
    }
    if (node.kind === 'site') return node.site.configs.map((config) => ({ kind: 'config', loaded: node.loaded, site: node.site, config }));
    return [];
  };

  const item = (node: Node): vscode.TreeItem => {
    if (node.kind === 'estimate') {
      const t = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      t.tooltip = node.tooltip;
      t.iconPath = new vscode.ThemeIcon('graph');
      t.command = { command: SET_ATTENTION_SHARE_COMMAND, title: 'Set Attention Share…' };
      return t;
    }
    const open = (line: number): vscode.Command => ({
      command: 'vscode.open',
      title: 'Open',
      arguments: [uriOf(node.loaded, node.site.file), { selection: new vscode.Range(line - 1, 0, line - 1, 0) }],
    });
    if (node.kind === 'site') {
      const calls = node.site.configs.reduce((n, c) => n + c.config.count, 0);
      const t = new vscode.TreeItem(`${node.site.file}:${node.site.line} ${node.site.op}`, vscode.TreeItemCollapsibleState.Expanded);
      t.description = `${node.site.configs.length} config${node.site.configs.length === 1 ? '' : 's'} · ${calls} calls${node.stale ? ' · stale' : ''}`;
      t.tooltip = node.stale ? 'The file changed after the trace: run GNA: Trace a Run… again.' : `Traced ${node.loaded.trace.tracedAt}`;
      t.command = open(node.site.line);
      t.contextValue = 'gnaTracedSite';
      return t;
    }
    const { label, description } = configLabel(node.config);
    const t = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    t.description = description;
    const k = node.config.config;
    t.tooltip = `batch ${k.batches.join(', ')} · ${k.heads.join(', ')} heads · head dim ${k.headDim}${k.dtypes.length ? ` · ${k.dtypes.join(', ')}` : ''}${k.devices.length ? ` on ${k.devices.join(', ')}` : ''}`;
    t.command = open(node.site.line);
    return t;
  };

  const provider: vscode.TreeDataProvider<Node> = { onDidChangeTreeData: changed.event, getChildren: children, getTreeItem: item };
  const refresh = () => {
    staleFiles.clear();
    changed.fire();
  };
  const disposable = vscode.Disposable.from(
    changed,
    vscode.window.createTreeView(TRACED_LAYERS_VIEW, { treeDataProvider: provider, showCollapseAll: true }),
    store.onDidChange(refresh),
    vscode.workspace.onDidSaveTextDocument(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('gna') && refresh()),
    vscode.commands.registerCommand(SET_ATTENTION_SHARE_COMMAND, async (value?: unknown) => {
      const given =
        typeof value === 'number'
          ? String(value)
          : await vscode.window.showInputBox({
              title: 'Share of run time spent in attention',
              prompt: 'For the model-level estimate: a fraction (0.6) or a percentage (60%). Empty clears it.',
              value: share() === undefined ? '' : String(share()),
              validateInput: (text) => (text.trim() === '' || parseShare(text) !== undefined ? undefined : 'A number in (0, 1], or a percentage up to 100%.'),
            });
      if (given === undefined) return undefined;
      const parsed = given.trim() === '' ? undefined : parseShare(given);
      await vscode.workspace.getConfiguration('gna').update('attentionShare', parsed ?? null, vscode.ConfigurationTarget.Workspace);
      return parsed;
    }),
  );
  return Object.assign(disposable, {
    lines: async () => {
      const out: string[] = [];
      const walk = async (node: Node | undefined, depth: number) => {
        for (const child of await children(node)) {
          const t = item(child);
          out.push(`${'  '.repeat(depth)}${String(t.label)}${t.description ? ` — ${String(t.description)}` : ''}`);
          await walk(child, depth + 1);
        }
      };
      await walk(undefined, 0);
      return out;
    },
  });
}
