// Runs the *.test.js files of one folder with mocha inside the extension host, prints the spec
// report (it reaches the runner through the workbench's automation log) and writes a results file
// that test/e2e/run.sh counts failures from.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'fs';
import type MochaType from 'mocha';
import { join, resolve } from 'path';

/** mocha 10 from the e2e kit (CommonJS); the repository's own mocha is an ES module. */
function loadMocha(): typeof MochaType {
  const kit = resolve(__dirname, '../../../.e2e'); // out/e2e/suite → <repo>/.e2e
  return require(join(kit, 'node_modules', 'mocha'));
}

/** `grep`: only the tests whose full title matches it (a regular expression, as mocha's --grep). */
export function runSuite(dir: string, label: string, grep?: string): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of readdirSync(dir).sort()) if (file.endsWith('.test.js')) mocha.addFile(join(dir, file));
  const results: { title: string; state: 'passed' | 'failed'; error?: string }[] = [];
  return new Promise((resolvePromise, reject) => {
    const runner = mocha.run((failures) => {
      const artifacts = process.env.GNA_E2E_ARTIFACTS;
      if (artifacts) {
        if (!existsSync(artifacts)) mkdirSync(artifacts, { recursive: true });
        const passes = results.filter((r) => r.state === 'passed').length;
        writeFileSync(join(artifacts, `${label}-results.json`), JSON.stringify({ passes, failures, tests: results }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} tests failed`));
      else resolvePromise();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed' }));
    runner.on('fail', (test, error) => results.push({ title: test.fullTitle(), state: 'failed', error: String(error) }));
  });
}
