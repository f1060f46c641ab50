// The CLI beside ruff and NATTEN's profiler: --version, rule selection, --quiet, stdin, [tool.gna]
// (nearest pyproject.toml wins, flags win over it), colour and NO_COLOR, "did you mean", extra
// arguments and --config beside problem flags. Stdin and colour run the real `gna` (bin/gna.js
// over dist/cli.js, built by pretest) as a child process.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { runCli } from '../../support/cli';
import { writeTempTree } from '../../support/tempTree';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gna.js');
/** stride 8 > window 7: an error; with a layout also the summary info. */
const CALL = 'y = na2d(q, k, v, kernel_size=(7, 7), stride=(8, 1))';
const SOURCE = ['from natten import na2d', CALL, ''].join('\n');
/** A valid call (a summary info once the layout is known) and the invalid one. */
const TWO_CALLS = ['from natten import na2d', 'a = na2d(q, k, v, kernel_size=(7, 7))', CALL, ''].join('\n');

function gna(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, input: options.input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const rulesIn = (out: string) => [...out.matchAll(/: (?:error|warning|info) (gna\/[\w-]+):/g)].map((m) => m[1]);

describe('gna: flags at home next to ruff', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.out, `gna ${version}\n`);
    }
  });

  it('--select / --ignore pick rules by code, with or without gna/; unknown codes are usage errors with the nearest rule', async () => {
    const dir = writeTempTree('gna-flags-', { 'm.py': TWO_CALLS });
    const file = join(dir, 'm.py');
    const all = rulesIn((await runCli(['lint', '-i', '64', '64', file])).out);
    assert.ok(all.includes('gna/stride-exceeds-window') && all.includes('gna/summary'), all.join());
    const selected = await runCli(['lint', '-i', '64', '64', '--select', 'stride-exceeds-window', file]);
    assert.deepEqual(rulesIn(selected.out), ['gna/stride-exceeds-window']);
    assert.equal(selected.code, 1);
    const ignored = await runCli(['lint', '-i', '64', '64', '--ignore', 'gna/stride-exceeds-window,summary', file]);
    assert.deepEqual(rulesIn(ignored.out), all.filter((r) => r !== 'gna/stride-exceeds-window' && r !== 'gna/summary'));
    assert.equal(ignored.code, 0, 'an ignored error does not fail the run');
    const typo = await runCli(['lint', '--select', 'stride-exceeds-windo', '--ignore', 'nothing-like-it', file]);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /--select: unknown rule 'stride-exceeds-windo' \(did you mean gna\/stride-exceeds-window\?\)/);
    assert.match(typo.err, /--ignore: unknown rule 'nothing-like-it' \(the rules: docs\/lint-rules\.md\)/);
  });

  it('--quiet prints errors and warnings only, without the summary line', async () => {
    const dir = writeTempTree('gna-flags-', { 'm.py': TWO_CALLS });
    const loud = await runCli(['lint', '-i', '64', '64', join(dir, 'm.py')]);
    assert.match(loud.out, /info gna\/summary/);
    const quiet = await runCli(['lint', '-q', '-i', '64', '64', join(dir, 'm.py')]);
    assert.equal(quiet.out, loud.out.split('\n').filter((l) => / (error|warning) gna\//.test(l)).join('\n') + '\n');
    assert.equal(quiet.code, 1);
    const json = JSON.parse((await runCli(['lint', '--quiet', '-f', 'json', '-i', '64', '64', join(dir, 'm.py')])).out) as { severity: string }[];
    assert.ok(json.length > 0 && json.every((f) => f.severity !== 'info'));
  });

  it('# gna: ignore comments work from the command line', async () => {
    const dir = writeTempTree('gna-flags-', { 'm.py': SOURCE.replace(CALL, `${CALL}  # gna: ignore[stride-exceeds-window]`) });
    const r = await runCli(['lint', '-i', '64', '64', join(dir, 'm.py')]);
    assert.equal(r.code, 0);
    assert.ok(!rulesIn(r.out).includes('gna/stride-exceeds-window'));
  });

  it('- lints standard input, shown as - or as --stdin-filename, configured from the current folder', () => {
    const dir = writeTempTree('gna-stdin-', { 'pyproject.toml': '[tool.gna.input-size]\n"models/*.py" = [64, 64]\n' });
    const plain = gna(['lint', '-'], { cwd: dir, input: SOURCE });
    assert.equal(plain.code, 1, plain.err);
    assert.match(plain.out, /^-:2:\d+: error gna\/stride-exceeds-window:/m);
    const named = gna(['lint', '-', '--stdin-filename', 'models/net.py', '--select', 'summary'], { cwd: dir, input: SOURCE.replace('(8, 1)', '(1, 1)') });
    assert.equal(named.code, 0, named.err);
    // The layout came from [tool.gna.input-size] for models/*.py.
    assert.match(named.out, /^models\/net\.py:2:\d+: info gna\/summary: .*sim/m);
    const twice = gna(['lint', '-', '-']);
    assert.equal(twice.code, 2);
    assert.match(twice.err, /give - \(standard input\) once/);
  });

  it('[tool.gna]: the nearest pyproject.toml with the table wins; flags win over it', async () => {
    const dir = writeTempTree('gna-proj-', {
      'pyproject.toml': '[tool.gna]\nignore = ["stride-exceeds-window"]\n[tool.gna.input-size]\n"*.py" = [64, 64]\n',
      'top.py': TWO_CALLS,
      'sub/pyproject.toml': '[project]\nname = "no table here"\n',
      'sub/mid.py': TWO_CALLS,
      'inner/pyproject.toml': '[tool.gna]\nnatten-version = "0.17"\n',
      'inner/deep/low.py': SOURCE.replace('(7, 7)', '(8, 8)').replace('(8, 1)', '(1, 1)'),
    });
    const r = await runCli(['lint', dir]);
    const lines = r.out.split('\n');
    // top.py and sub/mid.py: the root table (sub's pyproject has none) ignores the error, sets the layout.
    for (const f of ['top.py', 'sub/mid.py']) {
      assert.ok(!lines.some((l) => l.includes(`${f}:`) && l.includes('stride-exceeds-window')), f);
      assert.ok(lines.some((l) => l.includes(`${f}:`) && l.includes('gna/summary')), f);
    }
    // inner/deep/low.py: inner's table (NATTEN 0.17: even windows are errors) and no layout.
    assert.ok(lines.some((l) => l.includes('low.py:') && l.includes('error gna/even-window')), r.out);
    assert.ok(!lines.some((l) => l.includes('low.py:') && l.includes('gna/summary')));
    // A flag beats the table.
    const flagged = await runCli(['lint', '--natten-version', '0.21', join(dir, 'inner')]);
    assert.ok(!flagged.out.includes('even-window'), flagged.out);
  });

  it('a broken [tool.gna] is a usage error naming the file', async () => {
    const dir = writeTempTree('gna-proj-', { 'pyproject.toml': '[tool.gna]\narch = "volta"\nselect = ["sumary"]\n', 'a.py': SOURCE });
    const r = await runCli(['lint', join(dir, 'a.py')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /pyproject\.toml: \[tool\.gna\] arch must be one of hopper, blackwell, ampere, got "volta"/);
    assert.match(r.err, /pyproject\.toml: \[tool\.gna\] select: unknown rule 'sumary' \(did you mean gna\/summary\?\)/);
  });

  it('colour on a terminal (forced here), never with NO_COLOR', () => {
    const dir = writeTempTree('gna-color-', { 'm.py': SOURCE });
    const forced = gna(['lint', join(dir, 'm.py')], { env: { FORCE_COLOR: '1' } });
    assert.match(forced.out, /\u001b\[31merror\u001b\[0m/);
    const off = gna(['lint', join(dir, 'm.py')], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    assert.doesNotMatch(off.out, /\u001b/);
    assert.equal(off.out.replace(/\u001b\[\d+m/g, ''), forced.out.replace(/\u001b\[\d+m/g, ''));
    // A pipe without FORCE_COLOR: plain.
    assert.doesNotMatch(gna(['lint', join(dir, 'm.py')]).out, /\u001b/);
  });

  it('"did you mean" for mistyped flags and commands', async () => {
    const flag = await runCli(['sim', '-i', '64', '--windw-size', '7']);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /unknown option --windw-size \(did you mean --window-size\?\)/);
    const lint = await runCli(['lint', '--qiet', 'x.py']);
    assert.match(lint.err, /unknown option --qiet \(did you mean --quiet\?\)/);
    const command = await runCli(['smi']);
    assert.equal(command.code, 2);
    assert.match(command.err, /unknown command 'smi' \(did you mean sim\?\)/);
    const version = await runCli(['--verison']);
    assert.match(version.err, /unknown option '--verison' \(did you mean --version\?\)/);
  });

  it('extra positional arguments are rejected clearly (sim, bench)', async () => {
    for (const command of ['sim', 'bench']) {
      const r = await runCli([command, 'examples/problems.json', '-i', '64', '-w', '7']);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`unexpected argument 'examples/problems\\.json': gna ${command} takes options only`));
    }
  });

  it('--config beside problem flags is rejected, naming them', async () => {
    const r = await runCli(['sim', '--config', join(ROOT, 'examples', 'problems.json'), '-i', '64', '--stride', '2', '--recommend']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--config reads every problem from its file; drop -i\/--input-size, -s\/--stride/);
    assert.equal((await runCli(['sim', '--config', join(ROOT, 'examples', 'problems.json'), '--recommend'])).code, 0);
  });
});
