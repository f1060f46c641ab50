// One definition of a file's project settings for the CLI and the editor (lint/projectOptions.ts):
// the upward search for the nearest [tool.gna] table and the nearest NATTEN pin, and the order in
// which flags, the table, the editor's settings and the pin are merged.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ProjectConfigs } from '../../../extension/cli/projectConfig';
import { lintOptionsFor, ProjectFileRead, ProjectFolders, ProjectSettingsFinder } from '../../../extension/lint/projectOptions';
import { pinInFile } from '../../../extension/python/projectVersion';
import { parsePyproject } from '../../../extension/core/pyproject';

/** An in-memory tree: `/a/b/requirements.txt` → text; the search stops above `top`. */
function memoryFolders(files: Record<string, string>, top = '/'): ProjectFolders & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    files(dir) {
      reads.push(dir);
      const found = new Map<string, ProjectFileRead>();
      for (const [path, text] of Object.entries(files)) {
        const at = path.lastIndexOf('/');
        if ((path.slice(0, at) || '/') === dir) found.set(path.slice(at + 1), { text });
      }
      return found;
    },
    parent(dir) {
      if (dir === top || dir === '/') return undefined;
      return dir.slice(0, dir.lastIndexOf('/')) || '/';
    },
    relative: (dir, file) => file.slice(dir === '/' ? 1 : dir.length + 1),
  };
}

describe('project settings: the search', () => {
  it('finds the nearest table and the nearest pin each on its own, passing over a pyproject.toml without the table', () => {
    const folders = memoryFolders({
      '/w/pyproject.toml': '[tool.gna]\narch = "ampere"\n[tool.gna.input-size]\n"models/*.py" = [56, 56]\n',
      '/w/models/requirements.txt': 'torch\nnatten==0.17.5\n',
      '/w/models/sub/pyproject.toml': '[project]\nname = "x"\n',
    });
    const finder = new ProjectSettingsFinder(folders);
    const found = finder.forDir('/w/models/sub');
    assert.equal(found.table?.dir, '/w');
    assert.equal(found.table?.config.family, 'ampere');
    assert.deepEqual([found.pin?.dir, found.pin?.version, found.pin?.source], ['/w/models', '0.17.5', 'requirements.txt: natten==0.17.5']);
    // Each folder is read once, however many files ask.
    finder.forDir('/w/models/sub');
    finder.forDir('/w/models');
    assert.deepEqual(folders.reads, ['/w/models/sub', '/w/models', '/w', '/']);
    // The input-size pattern matches the path relative to the table's folder.
    const { options } = lintOptionsFor('/w/models/net.py', finder.forDir('/w/models'), folders, {});
    assert.deepEqual(options, { nattenVersion: '0.17.5', family: 'ampere', defaultInputSize: [56, 56] });
  });

  it('stops at the top the shell gives (the editor: the workspace folder)', () => {
    const folders = memoryFolders({ '/w/requirements.txt': 'natten==0.14.6\n', '/w/proj/a.py': '' }, '/w/proj');
    assert.deepEqual(new ProjectSettingsFinder(folders).forDir('/w/proj'), {});
  });

  it('reads the pin of a pyproject.toml with the same TOML reader as its [tool.gna] table', () => {
    const text = '[project]\ndependencies = ["torch>=2"]\n[project.optional-dependencies]\nna = ["natten[cu121]>=0.17,<0.20; platform_system == \'Linux\'"]\n[tool.gna]\nhead-dim = 64\n';
    assert.deepEqual(parsePyproject(text).nattenRequirements, ['>=0.17,<0.20']);
    assert.deepEqual(pinInFile('pyproject.toml', text), { version: '0.17.5', source: 'pyproject.toml: natten>=0.17,<0.20' });
    assert.equal(pinInFile('pyproject.toml', '[tool.poetry.group.gpu.dependencies]\nnatten = { version = "0.14.6" }\n')?.version, '0.14.6');
    // A table's own `natten-version` is not a dependency pin (the table wins anyway).
    assert.equal(pinInFile('pyproject.toml', '[tool.gna]\nnatten-version = "0.14.6"\n'), undefined);
    assert.equal(pinInFile('pyproject.toml', 'not [ toml'), undefined);
  });
});

describe('project settings: the merge', () => {
  const versions = fc.option(fc.constantFrom('0.14.6', '0.15.1', '0.17.5', '0.20.1', '0.21'), { nil: undefined });

  it('takes the NATTEN version from the first of flags, table, settings, pin that has one (brute force over all combinations)', () => {
    fc.assert(
      fc.property(versions, versions, versions, versions, (forced, table, preferred, pin) => {
        const folders = memoryFolders({
          ...(table ? { '/p/pyproject.toml': `[tool.gna]\nnatten-version = "${table}"\n` } : { '/p/pyproject.toml': '[tool.gna]\n' }),
          ...(pin ? { '/p/requirements.txt': `natten==${pin}\n` } : {}),
        });
        const settings = new ProjectSettingsFinder(folders).forDir('/p');
        const { options, versionFrom } = lintOptionsFor('/p/a.py', settings, folders, {
          forced: forced ? { nattenVersion: forced } : {},
          preferred: preferred ? { nattenVersion: preferred } : {},
        });
        const order: [string | undefined, string][] = [[forced, 'forced'], [table, 'table'], [preferred, 'preferred'], [pin, 'pin']];
        const first = order.find(([v]) => v !== undefined);
        assert.equal(options.nattenVersion, first?.[0]);
        assert.equal(versionFrom, first?.[1] ?? 'default');
      }),
    );
  });

  it('keeps the CLI rules for rule selection: --select replaces the table\'s selection and ignore list, --ignore adds to it', () => {
    const folders = memoryFolders({ '/p/pyproject.toml': '[tool.gna]\nselect = ["summary", "even-window"]\nignore = ["summary"]\n' });
    const settings = new ProjectSettingsFinder(folders).forDir('/p');
    const merge = (forced: object) => lintOptionsFor('/p/a.py', settings, folders, { forced }).options;
    assert.deepEqual(merge({}), { select: ['summary', 'even-window'], ignore: ['summary'] });
    assert.deepEqual(merge({ ignore: ['even-window'] }), { select: ['summary', 'even-window'], ignore: ['summary', 'even-window'] });
    assert.deepEqual(merge({ select: ['gna/tuple-length'] }), { select: ['gna/tuple-length'] });
    // The editor's settings sit below the table: the table's arch wins, a setting the table leaves out stays.
    const table = memoryFolders({ '/p/pyproject.toml': '[tool.gna]\narch = "ampere"\n' });
    assert.deepEqual(lintOptionsFor('/p/a.py', new ProjectSettingsFinder(table).forDir('/p'), table, { preferred: { family: 'hopper', headDim: 64, timeBudgetMs: 5000 } }).options, {
      family: 'ampere',
      headDim: 64,
      timeBudgetMs: 5000,
    });
  });

  it('the CLI runs the same search on the real file system, up to the root', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gna-project-'));
    mkdirSync(join(dir, 'proj', 'models'), { recursive: true });
    writeFileSync(join(dir, 'requirements.txt'), 'natten==0.15.1\n');
    writeFileSync(join(dir, 'proj', 'pyproject.toml'), '[project]\ndependencies = ["natten==0.14.6"]\n[tool.gna]\narch = "blackwell"\n');
    const configs = new ProjectConfigs();
    const file = join(dir, 'proj', 'models', 'net.py');
    const found = configs.forFile(file, {});
    assert.deepEqual(found.options, { nattenVersion: '0.14.6', family: 'blackwell' });
    assert.deepEqual(found.nattenVersion, { version: '0.14.6', source: 'proj/pyproject.toml: natten==0.14.6' });
    assert.deepEqual(configs.forFile(file, { nattenVersion: '0.21' }).nattenVersion, { version: '0.21', source: '--natten-version' });
  });
});
