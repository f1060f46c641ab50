// Extension-host entry of the untrusted-workspace suite (a server with workspace trust on).
import { runSuite } from '../runMocha';

export function run(): Promise<void> {
  return runSuite(__dirname, 'untrusted');
}
