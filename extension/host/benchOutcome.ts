// What a benchmark command did, returned so that tests can check it without reading notifications.

import * as vscode from 'vscode';
import type { UnavailableKind } from './pure/benchMessages';

export interface BenchmarkOutcome {
  readonly shown: 'info' | 'warning' | 'error' | 'report';
  readonly message: string;
  /** Records the command added (a run, a sweep, an import). */
  readonly records?: readonly string[];
  /** Why nothing was measured, when that is the outcome. */
  readonly reason?: UnavailableKind;
}

/** Shows a warning and answers it. */
export function warned(message: string): BenchmarkOutcome {
  void vscode.window.showWarningMessage(message);
  return { shown: 'warning', message };
}
