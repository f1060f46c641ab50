// `npm run bench:corpus`: the linter over the corpus of real NATTEN code patterns
// (test/fixtures/corpus), one line per modelled project and the totals the issue asks for; with
// `--record FILE` the table, machine, date and commit are written to FILE.
import { execSync } from 'child_process';
import { writeFileSync } from 'fs';
import { createLinter } from '../../extension/lint';
import { grammarBytes } from '../unit/lint/helpers';
import { corpusMarkdown, noiseMarkdown, runCorpus } from '../support/corpus';
import { machineLine } from './harness';

async function main(): Promise<void> {
  const linter = await createLinter(grammarBytes());
  const started = Date.now();
  const result = runCorpus(linter);
  const ms = Date.now() - started;
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const report = [
    `Corpus benchmark, ${new Date().toISOString().slice(0, 10)}, commit ${commit}`,
    '',
    `Machine: ${machineLine()}; ${result.cases.length} projects, ${result.callSites} call sites, linted twice each (own release, 0.21), and again with a layout per rank and alone for the noise tables, in ${ms} ms. Reproduce: \`npm run bench:corpus\`.`,
    '',
    ...corpusMarkdown(result),
    '',
    '## Informational diagnostics per call site (issue 24: the noise policy)',
    '',
    'At each project\'s own NATTEN release. Editor: the diagnostics VS Code shows as information with',
    'inlay hints on (the `gna/summary` line is the hint). A call site is *actionable* when linting it again',
    'with a token layout completes its check (measured, not taken from the policy). The same tables before',
    'the noise policy (commit b9d7b12): `bench/results/corpus-noise-before.md`.',
    '',
    ...noiseMarkdown(result),
    '',
    'Each file linted alone (no cross-file resolution, so more values are unknown):',
    '',
    ...noiseMarkdown(result, true),
    '',
  ].join('\n');
  process.stdout.write(report);
  const at = process.argv.indexOf('--record');
  if (at > 0 && process.argv[at + 1]) writeFileSync(process.argv[at + 1], report);
}

main().catch((e) => {
  process.stderr.write(`bench corpus: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
