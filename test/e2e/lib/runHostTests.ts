// Runs one mocha suite inside code-server's real extension host (see hostSuite.ts) and keeps a
// screenshot of the workbench at its end.
// Usage: node runHostTests.js <absolute path of the suite's index.js> <label>
import { env } from './env';
import { runAsProcess, withSuitePage } from './hostSuite';

runAsProcess(async () => {
  const [suite, label = 'host'] = process.argv.slice(2);
  if (!suite) throw new Error('usage: runHostTests <suite index.js> [label]');
  return withSuitePage(async ({ page, run }) => {
    const code = await run(suite, label);
    await page.screenshot({ path: env.screenshot(`${label}-suite-end`) }).catch(() => undefined);
    return code === 0 ? 0 : 1;
  });
});
