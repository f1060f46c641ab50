// What test/e2e/run.sh tells the Node-side runners (not the extension host, which gets only the
// workspace and the payload). Each value is read when used, so a test run outside run.sh fails
// naming the missing variable.
import { join } from 'path';

const VARIABLES = {
  /** `http://127.0.0.1:PORT` of the running code-server. */
  serverUrl: 'GNA_E2E_SERVER',
  /** Absolute path of the workspace folder the server opened (a fresh copy of test/e2e/workspace). */
  workspace: 'GNA_E2E_WORKSPACE',
  /** The repository root (fixtures); the extension under test is the installed VSIX. */
  extension: 'GNA_E2E_EXTENSION',
  /** The VSIX run.sh installed into the server. */
  vsix: 'GNA_E2E_VSIX',
  /** An empty extension under development: the workbench runs extension tests only beside one. */
  runner: 'GNA_E2E_RUNNER',
  /** Screenshots, logs and measurements of this run. */
  artifacts: 'GNA_E2E_ARTIFACTS',
  /** Scratch space for browser profiles. */
  scratch: 'GNA_E2E_SCRATCH',
  /** The code-server user-data dir (logs, output channels). */
  userData: 'GNA_E2E_USER_DATA',
} as const;

type Env = { readonly [K in keyof typeof VARIABLES]: string } & { screenshot(name: string): string };

export const env = Object.defineProperties({} as Env, {
  ...Object.fromEntries(
    Object.entries(VARIABLES).map(([key, name]) => [
      key,
      {
        get(): string {
          const value = process.env[name];
          if (!value) throw new Error(`${name} is not set: run the e2e tests through test/e2e/run.sh`);
          return value;
        },
      },
    ]),
  ),
  screenshot: { value: (name: string): string => join(env.artifacts, `${name}.png`) },
});
