// Hostile input to the `gna` CLI (issue 22): every case must finish with the right exit code and a
// message that names the problem. Bounds are asserted by outcome (the command returns, the work
// counters say what was read), never by timing; each test's mocha timeout is the generous outer limit.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, closeSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { makeBenchCommand } from '../../../extension/cli/bench';
import { UsageError } from '../../../extension/cli/io';
import { terminalSafe } from '../../../extension/cli/safeText';
import { MAX_CONFIG_BYTES, MAX_CONFIG_PROBLEMS } from '../../../extension/cli/sim';
import { MAX_SOURCE_BYTES, readBoundedFile, walkSources } from '../../../extension/cli/walk';
import { CoreNumbers } from '../../../extension/lint';
import { runCli } from '../../support/cli';

const GOOD = ['from natten import na1d', '# gna: input_size=4096', 'y = na1d(q, k, v, kernel_size=512, stride=256)', ''].join('\n');
const BAD = ['from natten import na1d', '# gna: input_size=(64,)', 'y = na1d(q, k, v, kernel_size=7, stride=9)', ''].join('\n');

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'gna-hostile-'));
}

describe('hostile input: the folder walk and the file reader', function () {
  this.timeout(120_000);

  it('a folder with two links to itself: each real file is linted once, the links are counted, not followed', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a.py'), GOOD);
    symlinkSync('.', join(dir, 'loop1'));
    symlinkSync('..', join(dir, 'loop2'));
    const walk = walkSources([dir]);
    assert.deepEqual(walk.files.map((f) => f.shown), [`${dir}/a.py`]);
    assert.equal(walk.linksNotFollowed, 2);
    const r = await runCli(['lint', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /in 1 file \(1 NATTEN call\)\.$/m);
    assert.match(r.err, /note: 2 symbolic links inside folders not followed/);
  });

  it('a link to /dev/zero inside a folder is not followed; /dev/zero named on the command line is refused as a device (exit 5)', async () => {
    const dir = folder();
    symlinkSync('/dev/zero', join(dir, 'zero.py'));
    writeFileSync(join(dir, 'b.py'), BAD);
    const r = await runCli(['lint', dir]);
    assert.equal(r.code, 1, r.err); // b.py's error; the link is only a note
    assert.match(r.err, /1 symbolic link inside folders not followed/);
    const direct = await runCli(['lint', '/dev/zero']);
    assert.equal(direct.code, 5);
    assert.match(direct.err, /\/dev\/zero: a device, not read/);
    assert.match(direct.out, /0 files .*; 1 file or folder not read\./);
    // A link the user names is followed, to what it is: still a device.
    const named = await runCli(['lint', join(dir, 'zero.py')]);
    assert.equal(named.code, 5);
    assert.match(named.err, /zero\.py: a device, not read/);
  });

  it('a FIFO named *.py, in a folder or named directly, is refused without being opened (exit 5)', async () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'pipe.py')]);
    writeFileSync(join(dir, 'ok.py'), GOOD);
    const r = await runCli(['lint', dir]);
    assert.equal(r.code, 5);
    assert.match(r.err, /pipe\.py: a named pipe \(FIFO\), not read/);
    assert.match(r.out, /in 1 file \(1 NATTEN call\); 1 file or folder not read\./);
    const direct = await runCli(['lint', join(dir, 'pipe.py')]);
    assert.equal(direct.code, 5);
    assert.match(direct.err, /a named pipe \(FIFO\), not read/);
    // The reader refuses a FIFO on its open descriptor too (a pipe put in a file's place after the walk).
    assert.deepEqual(readBoundedFile(join(dir, 'pipe.py')), { problem: 'a named pipe (FIFO), not read' });
  });

  it('a file above the size cap is refused with its size, without being read (exit 5)', async () => {
    const dir = folder();
    const big = join(dir, 'huge.py');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_SOURCE_BYTES + 1); // sparse: the size is what the cap looks at
    closeSync(fd);
    const r = await runCli(['lint', big]);
    assert.equal(r.code, 5);
    assert.match(r.err, /huge\.py: 8\.0 MiB is above the 8\.0 MiB limit for a Python source, not read/);
    assert.deepEqual(readBoundedFile(big, 4), { problem: '8.0 MiB is above the 4 bytes limit for a Python source, not read' });
  });

  it('an unreadable file is reported and skipped, the others are linted, and the exit code says so', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'b.py'), BAD);
    // Tests may run as root, for whom no permission bit denies a read: /proc/self/mem refuses
    // every reader at offset 0 (EIO), and a link to nothing cannot be opened at all.
    const unreadable = existsSync('/proc/self/mem') ? '/proc/self/mem' : join(dir, 'missing-target');
    symlinkSync('/nonexistent/target.py', join(dir, 'dangling.py'));
    const r = await runCli(['lint', join(dir, 'b.py'), unreadable, join(dir, 'dangling.py')]);
    assert.equal(r.code, 5, r.err);
    assert.match(r.out, /^.*b\.py:3:41: error gna\/stride-exceeds-window/m);
    assert.match(r.err, /dangling\.py: a link to nothing, not read/);
    if (unreadable === '/proc/self/mem') assert.match(r.err, /\/proc\/self\/mem: cannot read \(EIO\)/);
    assert.match(r.out, /in 1 file \(1 NATTEN call\); 2 files or folders not read\./);
  });

  it('--trace /dev/zero or a FIFO is refused as a usage error (exit 2), not read forever', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'ok.py'), GOOD);
    execFileSync('mkfifo', [join(dir, 'trace.json')]);
    for (const [trace, why] of [
      ['/dev/zero', 'a device, not read'],
      [join(dir, 'trace.json'), 'a named pipe \\(FIFO\\), not read'],
      [join(dir, 'none.json'), 'no such file \\(make one with gna trace'],
    ]) {
      const r = await runCli(['lint', '--trace', trace, join(dir, 'ok.py')]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`--trace .*: ${why}`));
    }
  });

  it('a missing path is still a usage error (exit 2)', async () => {
    const r = await runCli(['lint', join(folder(), 'nope.py')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no such file or folder/);
  });
});

describe('hostile input: internal failures are loud', function () {
  this.timeout(120_000);

  it('a file that mentions an op name 130,000 times is linted, not silently clean (no stack overflow)', async () => {
    const dir = folder();
    const file = join(dir, 'many.py');
    writeFileSync(file, `${BAD}x = [${new Array(130_000).fill('na1d').join(', ')}]\n`);
    const r = await runCli(['lint', file]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /many\.py:3:41: error gna\/stride-exceeds-window/);
    assert.match(r.out, /1 error, .* in 1 file \(1 NATTEN call\)\./);
  });

  it('an exception inside the linter becomes a gna/internal-error finding with the file, and exit 70', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'ok.py'), GOOD);
    const original = CoreNumbers.prototype.simulate;
    CoreNumbers.prototype.simulate = () => {
      throw new RangeError('simulated bug');
    };
    try {
      const r = await runCli(['lint', join(dir, 'ok.py')]);
      assert.equal(r.code, 70, r.out + r.err);
      assert.match(r.out, /ok\.py:3:5: error gna\/internal-error: Internal error in the GNA linter while analysing this call: simulated bug\./);
      const json = await runCli(['lint', '--format', 'json', join(dir, 'ok.py')]);
      assert.equal(json.code, 70);
      assert.ok((JSON.parse(json.out) as { rule: string; file: string }[]).some((f) => f.rule === 'gna/internal-error' && f.file.endsWith('ok.py')));
    } finally {
      CoreNumbers.prototype.simulate = original;
    }
  });

  it('--time-budget 0 stops analysis at the first name it would read, with gna/analysis-stopped (exit 5)', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'ok.py'), GOOD);
    const r = await runCli(['lint', '--time-budget', '0', join(dir, 'ok.py')]);
    assert.equal(r.code, 5, r.err);
    assert.match(r.out, /ok\.py:1:20: warning gna\/analysis-stopped: GNA analysis stopped here: the file took longer than its 0 ms budget \(0 calls checked before this one\)/);
    assert.equal((await runCli(['lint', '--time-budget', '-1', join(dir, 'ok.py')])).code, 2);
  });
});

describe('hostile input: terminal control characters are escaped', () => {
  it('terminalSafe escapes C0 (but tab and newline), DEL, C1 and bidi controls as \\uXXXX', () => {
    assert.equal(terminalSafe('a\u001b]0;title\u0007b\r\n\tc\u009b31m\u202ed\u007f'), 'a\\u001b]0;title\\u0007b\\u000d\n\tc\\u009b31m\\u202ed\\u007f');
    // The escapes are JSON escapes: JSON output stays parseable and means the same strings.
    const value = { s: 'x\u009by\u2028z\u001b' };
    assert.deepEqual(JSON.parse(terminalSafe(JSON.stringify(value))), value);
  });

  it('an ESC/OSC sequence in a file name and in linted source reaches the output escaped', async () => {
    const dir = folder();
    const name = 'evil\u001b]0;pwned\u0007.py';
    writeFileSync(join(dir, name), BAD.replace('stride=9', 'stride=9) # \u001b[2J'));
    const r = await runCli(['lint', dir]);
    assert.equal(r.code, 1);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(r.out + r.err), JSON.stringify(r.out));
    assert.match(r.out, /evil\\u001b\]0;pwned\\u0007\.py:3:41: error/);
    const json = await runCli(['lint', '--format', 'json', dir]);
    assert.equal((JSON.parse(json.out) as { file: string }[])[0].file.endsWith(name), true);
  });

  it('a --config label with ESC sequences is escaped in sim output', async () => {
    const dir = folder();
    const config = join(dir, 'p.json');
    writeFileSync(config, JSON.stringify([{ label: 'x\u001b[31mred\u009b', inputSize: [64], windowSize: 7 }]));
    const r = await runCli(['sim', '--config', config]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!/[\u001b\u009b]/.test(r.out));
    assert.match(r.out, /x\\u001b\[31mred\\u009b/);
  });
});

describe('hostile input: gna sim --config and gna bench numbers', function () {
  this.timeout(120_000);

  it(`a --config file above ${MAX_CONFIG_BYTES / (1024 * 1024)} MiB is refused as a usage error (exit 2) before it is parsed`, async () => {
    const dir = folder();
    const config = join(dir, 'big.json');
    writeFileSync(config, `[${' '.repeat(MAX_CONFIG_BYTES)}]`);
    const r = await runCli(['sim', '--config', config]);
    assert.equal(r.code, 2);
    assert.match(r.err, /big\.json: .* is above the 4\.0 MiB limit for a --config file, not read/);
  });

  it(`more than ${MAX_CONFIG_PROBLEMS} problems in one file are refused (exit 2); a device as --config too`, async () => {
    const dir = folder();
    const config = join(dir, 'many.json');
    writeFileSync(config, JSON.stringify(new Array(MAX_CONFIG_PROBLEMS + 1).fill({ inputSize: [64], windowSize: 7 })));
    const r = await runCli(['sim', '--config', config]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`${MAX_CONFIG_PROBLEMS + 1} problems; at most ${MAX_CONFIG_PROBLEMS} per file`));
    const zero = await runCli(['sim', '--config', '/dev/zero']);
    assert.equal(zero.code, 2);
    assert.match(zero.err, /\/dev\/zero: a device, not read/);
  });

  it('a --config list prints the same JSON array as before, element by element', async () => {
    const dir = folder();
    const config = join(dir, 'two.json');
    const list = [
      { label: 'a', inputSize: [64], windowSize: 7 },
      { label: 'b', inputSize: [32, 32], windowSize: [5, 5], stride: [2, 2] },
    ];
    writeFileSync(config, JSON.stringify(list));
    const r = await runCli(['sim', '--config', config, '--json']);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { label?: string }[];
    assert.equal(parsed.length, 2);
    assert.equal(r.out, `${JSON.stringify(parsed, null, 2)}\n`);
  });

  for (const [flag, value, message] of [
    ['--repeats', '-5', '--repeats must be an integer in 1..10000, got -5'],
    ['--repeats', '0', '--repeats must be an integer in 1..10000, got 0'],
    ['--repeats', '2.5', '--repeats must be an integer in 1..10000, got 2.5'],
    ['--warmup', '1e12', '--warmup must be an integer in 0..1000, got 1000000000000'],
    ['--device', '-1', '--device must be an integer in 0..1024, got -1'],
  ] as const) {
    it(`gna bench ${flag} ${value} is a usage error, found before the GPU is probed`, async () => {
      let probed = false;
      const command = makeBenchCommand(() => {
        probed = true;
        throw new Error('the engine must not be loaded');
      });
      await assert.rejects(command(['-i', '64', '-w', '7', flag, value], { out: () => undefined, err: () => undefined }), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.deepEqual(e.problems, [message]);
        return true;
      });
      assert.equal(probed, false);
      assert.equal((await runCli(['bench', '-i', '64', '-w', '7', flag, value])).code, 2);
    });
  }

  it('the walk visits a 200-deep tree depth first in name order, on an explicit stack', () => {
    const dir = folder();
    let deep = dir;
    for (let i = 0; i < 200; i++) deep = join(deep, 'd');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'deep.py'), GOOD);
    writeFileSync(join(dir, 'z.py'), GOOD);
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'x.py'), GOOD);
    const walk = walkSources([dir]);
    assert.deepEqual(
      walk.files.map((f) => f.shown.slice(dir.length + 1)),
      ['a/x.py', `${'d/'.repeat(200)}deep.py`, 'z.py'],
    );
  });
});
