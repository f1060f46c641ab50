// Extension-host entry of the first half of the reload check (see lib/runReloadTests.ts).
import { runSuite } from '../../runMocha';

export function run(): Promise<void> {
  return runSuite(__dirname, 'reload-before');
}
