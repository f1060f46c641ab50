// `gna calls`: the table of a model's attention layers, across files, with the NATTEN version
// from the project's pin; and the pin reader itself.
import { strict as assert } from 'assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pinInFile, versionFromSpecifier } from '../../../extension/python/projectVersion';
import { runCli } from '../../support/cli';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gna-calls-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const LAYER = [
  'from natten import NeighborhoodAttention2D',
  'class NATLayer:',
  '    def __init__(self, dim, num_heads, kernel_size=7, dilation=None):',
  '        self.attn = NeighborhoodAttention2D(dim, num_heads, kernel_size, dilation=dilation)',
  '',
].join('\n');
const MODEL = [
  'from .layer import NATLayer',
  'def dinat_tiny(dilations=(1, 8, 1)):',
  '    return [NATLayer(64, 2, 7, dilation=d) for d in dilations]',
  'def make(x):',
  '    return NATLayer(128, 4, kernel_size=x)',
  '',
].join('\n');

describe('gna calls', () => {
  it('lists each call site once with every value its arguments take, across files, and the pinned version', async () => {
    const dir = project({ 'requirements.txt': 'torch>=2.0\nnatten==0.17.5\n', 'pkg/layer.py': LAYER, 'pkg/model.py': MODEL });
    const r = await runCli(['calls', '--format', 'json', dir]);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { file: string; line: number; op: string; configs: number; args: Record<string, { resolved: boolean; values: unknown[]; reason?: string }>; nattenVersion: { version: string; source: string } }[];
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.match(row.file, /pkg\/layer\.py$/);
    assert.equal(row.line, 4);
    assert.equal(row.op, 'NeighborhoodAttention2D');
    // Two call sites: the comprehension over dilations (1, 8, 1) and make(x) with x unknown.
    assert.deepEqual(row.args.kernel_size.values, [7]);
    assert.equal(row.args.kernel_size.resolved, false);
    assert.match(row.args.kernel_size.reason!, /x is a parameter of make\(\) without a default, and no call of make\(\) was found/);
    assert.deepEqual(row.args.dilation.values, [1, 8]);
    assert.equal(row.args.dilation.resolved, true);
    // 0.17.5 modules have no stride: the effective one, 1, as a default.
    assert.deepEqual(row.args.stride, { resolved: true, values: [1], defaulted: true });
    assert.deepEqual(row.nattenVersion, { version: '0.17.5', source: `${dir.split('/').pop()}/requirements.txt: natten==0.17.5` });
  });

  it('prints a table with a note per unresolved argument; --natten-version overrides the pin', async () => {
    const dir = project({ 'requirements.txt': 'natten==0.17.5\n', 'm.py': 'import natten\nfor ks in [3, 5]:\n    # gna: input_size=(32, 32)\n    natten.na2d(q, k, v, ks, stride=2)\nnatten.na1d(q, k, v, w)\n' });
    const r = await runCli(['calls', '--natten-version', '0.21', dir]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^call\s+op\s+configs\s+kernel_size\s+stride\s+dilation\s+is_causal\s+layout\s+NATTEN\s+simulated$/);
    assert.match(lines[1], /m\.py:4\s+na2d\s+2\s+3 \| 5\s+2\s+1 \(default\)\s+False \(default\)\s+32×32 \(annotation\)\s+0\.21\s+\d/);
    assert.match(r.out, /2 call sites; NATTEN 0\.21 from --natten-version\./);
    assert.match(r.out, /m\.py:5 kernel_size: w is not defined in this file/);
  });
});

describe('NATTEN version from project pins', () => {
  it('reads ==, ~=, ranges and floors against the real release list', () => {
    assert.equal(versionFromSpecifier('==0.17.5'), '0.17.5');
    assert.equal(versionFromSpecifier('~=0.15.1'), '0.15.1');
    assert.equal(versionFromSpecifier('>=0.14.6,<0.15'), '0.14.6');
    assert.equal(versionFromSpecifier('>=0.17,<0.20'), '0.17.5');
    assert.equal(versionFromSpecifier('<0.21'), '0.20.1');
    assert.equal(versionFromSpecifier('>=0.20'), '0.20');
  });

  it('finds the pin in each kind of project file', () => {
    assert.equal(pinInFile('requirements-dev.txt', '# natten==0.14\ntorch\nnatten>=0.17.0,<0.20 ; python_version>"3.8"\n')?.version, '0.17.5');
    assert.equal(pinInFile('pyproject.toml', '[project]\ndependencies = [\n  "torch>=2",\n  "natten==0.20.1",\n]\n')?.version, '0.20.1');
    assert.equal(pinInFile('pyproject.toml', '[tool.poetry.dependencies]\nnatten = "^0.15.1"\n')?.version, '0.15.1');
    assert.equal(pinInFile('setup.py', "setup(install_requires=['torch', 'natten>=0.14.4'])")?.version, '0.14.4');
    assert.equal(pinInFile('environment.yml', 'dependencies:\n  - pip:\n    - natten==0.17.1\n')?.version, '0.17.1');
    assert.equal(pinInFile('requirements.txt', 'natten-extras==1.0\nnattenx==2\n'), undefined);
  });
});
