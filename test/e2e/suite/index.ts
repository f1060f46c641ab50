// Extension-host entry of the trusted-workspace suite: VS Code requires it and calls run().
import { runSuite } from './runMocha';

export function run(): Promise<void> {
  return runSuite(__dirname, 'host');
}
