// Activation: create the context and register one provider per feature, nothing more. The linter
// (tree-sitter wasm) loads on first need; the native addon is not touched here at all.
import { loadStartedAt } from './loadClock';

import * as vscode from 'vscode';
import * as benchmark from './benchmark';
import * as callsList from './callsList';
import * as codeActions from './codeActions';
import * as codeLenses from './codeLenses';
import * as commands from './commands';
import { Ctx, HostStats } from './context';
import * as diagnostics from './diagnostics';
import * as hover from './hover';
import * as inlayHints from './inlayHints';
import * as previewView from './previewView';
import * as settings from './settings';
import * as tracedLayers from './tracedLayers';
import * as traceRun from './traceRun';
import { TraceStore } from './traceStore';
import * as workspaceIndex from './workspaceIndex';

// Every module above has been evaluated by now (the bundler keeps import order).
const loadedAt = performance.now();

const FEATURES: [string, (ctx: Ctx) => vscode.Disposable][] = [
  ['settings', settings.register],
  ['commands', commands.register],
  ['diagnostics', diagnostics.register],
  ['code actions', codeActions.register],
  ['inlay hints', inlayHints.register],
  ['hover', hover.register],
  ['code lenses', codeLenses.register],
  ['workspace index', workspaceIndex.register],
  ['calls list', callsList.register],
];

export interface ActivationTimes {
  /** Evaluating the bundle's modules (from the first to the last import). */
  readonly loadMs: number;
  /** The activate() call itself. */
  readonly activateMs: number;
}

/** What activate() returns: read by the e2e tests and the activation benchmark. */
export interface GnaApi {
  readonly activation: ActivationTimes;
  readonly stats: Readonly<HostStats>;
  /** What the mask preview shows (undefined until it is registered). */
  preview(): previewView.PreviewState | undefined;
  /** The benchmark history, queue and report (undefined if it failed to start). */
  benchmark(): benchmark.BenchmarkApi | undefined;
  /** The Traced Layers view, line by line (undefined if it failed to start). */
  tracedLayers(): tracedLayers.TracedLayersApi | undefined;
}

export function activate(context: vscode.ExtensionContext): GnaApi {
  const started = performance.now();
  const ctx = new Ctx(context.extensionUri, context.workspaceState);
  context.subscriptions.push(ctx);
  const failed: string[] = [];
  /** Starts one feature: a failure is logged and named to the user, the others still start. */
  const start = <T extends vscode.Disposable>(name: string, register: (ctx: Ctx) => T): T | undefined => {
    try {
      const feature = register(ctx);
      context.subscriptions.push(feature);
      return feature;
    } catch (e) {
      failed.push(name);
      ctx.logError(`starting ${name}`, e);
      return undefined;
    }
  };
  for (const [name, register] of FEATURES) start(name, register);
  // The preview and the benchmark are kept for the API (tests read what they show).
  const preview = start('mask preview', previewView.register);
  const bench = start('benchmark', benchmark.register);
  // Traced runs (`.gna/trace.json`): every lint asks the store; the view and the command use it.
  const store = start('traced runs', (c) => (c.traces = new TraceStore(c)));
  const layers = store && start('traced layers view', () => tracedLayers.register(store));
  if (store) {
    start('trace a run', (c) => traceRun.register(c, store));
    void store.loadAll();
  }
  if (failed.length > 0) {
    void vscode.window.showErrorMessage(`GNA Studio could not start: ${failed.join(', ')}. See Output › GNA Studio.`);
  }
  const activation = { loadMs: loadedAt - loadStartedAt, activateMs: performance.now() - started };
  ctx.output.info(`activated in ${activation.activateMs.toFixed(1)} ms (code loaded in ${activation.loadMs.toFixed(1)} ms)`);
  return { activation, stats: ctx.stats, preview: () => preview?.state, benchmark: () => bench?.api, tracedLayers: () => layers };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
