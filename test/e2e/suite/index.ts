// Extension-host entry of the trusted-workspace suite: VS Code requires it and calls run().
import { runSuite } from './runMocha';

export function run(): Promise<void> {
  // GNA_E2E_GREP (run.sh) reaches the extension host through code-server's environment.
  return runSuite(__dirname, 'host', process.env.GNA_E2E_GREP);
}
