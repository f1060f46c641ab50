// Reading the part files that traced processes wrote (issue 17): bounded like every other input of
// the CLI, so a pipe, a device or an oversized file in the parts folder is named and skipped
// instead of blocking `gna trace` or filling its memory.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { TracePart } from '../../../extension/core/traceSchema';
import { readParts } from '../../../extension/cli/traceFiles';

function part(pid: number): TracePart {
  return {
    format: 'gna-trace-part', version: 1, pid, startedAt: 0, finishedAt: 1, cwd: '/w', argv: ['python', 'run.py'], python: '3.11.7', natten: '0.21.0', torch: null, failed: 0,
    files: {}, calls: [], unread: [],
  };
}

function partsDir(): string {
  return mkdtempSync(join(tmpdir(), 'gna-parts-'));
}

describe('gna trace: reading the parts of a run', () => {
  it('reads regular part files and refuses a FIFO, a device link and a folder before reading a byte', () => {
    const dir = partsDir();
    writeFileSync(join(dir, 'part-1.json'), JSON.stringify(part(1)));
    execFileSync('mkfifo', [join(dir, 'part-2.json')]);
    symlinkSync('/dev/zero', join(dir, 'part-3.json'));
    mkdirSync(join(dir, 'part-4.json'));
    writeFileSync(join(dir, 'part-5.json'), JSON.stringify(part(5)));
    writeFileSync(join(dir, 'other.json'), 'not a part');
    const { parts, problems } = readParts(dir);
    assert.deepEqual(parts.map((p) => p.pid), [1, 5]);
    assert.deepEqual(problems, [
      'part-2.json: a named pipe (FIFO), not read',
      'part-3.json: a device, not read',
      'part-4.json: not a regular file, not read',
    ]);
  });

  it('stops at the size budget of the whole run: the part that crosses it and the rest are named, not read', () => {
    const dir = partsDir();
    const text = JSON.stringify(part(1));
    for (const i of [1, 2, 3, 4]) writeFileSync(join(dir, `part-${i}.json`), text.replace('"pid":1', `"pid":${i}`));
    const size = Buffer.byteLength(text);
    // Room for two parts and a half: the third crosses the budget.
    const { parts, problems } = readParts(dir, size * 2 + Math.floor(size / 2));
    assert.deepEqual(parts.map((p) => p.pid), [1, 2]);
    assert.equal(problems.length, 2);
    assert.match(problems[0], new RegExp(`^part-3\\.json: ${size} bytes is above the ${Math.floor(size / 2)} bytes limit for one run's trace parts, not read$`));
    assert.equal(problems[1], '1 more part not read');
    // A single part above the whole budget is refused the same way.
    const alone = partsDir();
    writeFileSync(join(alone, 'part-1.json'), text);
    assert.deepEqual(readParts(alone, size - 1), { parts: [], problems: [`part-1.json: ${size} bytes is above the ${size - 1} bytes limit for one run's trace parts, not read`] });
  });

  it('names a part that is not JSON or not a part, and goes on', () => {
    const dir = partsDir();
    writeFileSync(join(dir, 'part-1.json'), '{ half');
    writeFileSync(join(dir, 'part-2.json'), JSON.stringify({ ...part(2), format: 'other' }));
    writeFileSync(join(dir, 'part-3.json'), JSON.stringify(part(3)));
    const { parts, problems } = readParts(dir);
    assert.deepEqual(parts.map((p) => p.pid), [3]);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^part-1\.json: /);
    assert.match(problems[1], /^part-2\.json: .* at format$/);
  });
});
