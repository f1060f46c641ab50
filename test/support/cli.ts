// Runs the CLI in-process with captured output.
import { BenchEngine, makeBenchCommand } from '../../extension/cli/bench';
import { main } from '../../extension/cli/main';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`) });
  return { code, out, err };
}

/** `gna bench` in-process on a given engine (a scripted one, in tests), with captured output. */
export async function runBench(argv: string[], engine: BenchEngine): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await makeBenchCommand(() => engine)(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
