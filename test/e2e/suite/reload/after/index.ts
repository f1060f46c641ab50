// Extension-host entry of the second half of the reload check, in a freshly loaded window.
import { runSuite } from '../../runMocha';

export function run(): Promise<void> {
  return runSuite(__dirname, 'reload-after');
}
