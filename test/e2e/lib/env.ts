// What test/e2e/run.sh tells the Node-side runners (not the extension host, which gets only the
// workspace and the payload).
import { join } from 'path';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through test/e2e/run.sh`);
  return value;
}

export const env = {
  /** `http://127.0.0.1:PORT` of the running code-server. */
  get serverUrl(): string {
    return required('GNA_E2E_SERVER');
  },
  /** Absolute path of the workspace folder the server opened (a fresh copy of test/e2e/workspace). */
  get workspace(): string {
    return required('GNA_E2E_WORKSPACE');
  },
  /** The extension under test (the repository root). */
  get extension(): string {
    return required('GNA_E2E_EXTENSION');
  },
  /** Screenshots, logs and measurements of this run. */
  get artifacts(): string {
    return required('GNA_E2E_ARTIFACTS');
  },
  /** Scratch space for browser profiles. */
  get scratch(): string {
    return required('GNA_E2E_SCRATCH');
  },
  /** The code-server user-data dir (logs, output channels). */
  get userData(): string {
    return required('GNA_E2E_USER_DATA');
  },
  screenshot(name: string): string {
    return join(this.artifacts, `${name}.png`);
  },
};
