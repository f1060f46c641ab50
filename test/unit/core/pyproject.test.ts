// `[tool.gna]` in pyproject.toml: every key, the `_` spelling, tables that are not ours, and bad
// values dropped with a problem each.
import { strict as assert } from 'assert';
import { layoutFor } from '../../../extension/core/layoutRules';
import { parsePyproject } from '../../../extension/core/pyproject';

const FULL = `
[project]
name = "model"
dependencies = ["natten==0.17.5"]

[tool.ruff]
line-length = 100

[tool.gna]
natten-version = "0.17.5"
arch = "ampere"
head-dim = 64
select = ["gna/even-window", "not-block-sparse"]
ignore = ["summary"]

[tool.gna.input-size]
"**/video_*.py" = [30, 48, 80]
"models/video_dit.py" = [16, 32, 32]
"*.py" = [64, 64]
`;

describe('core: [tool.gna] in pyproject.toml', () => {
  it('reads every key', () => {
    const { config, problems } = parsePyproject(FULL);
    assert.deepEqual(problems, []);
    assert.ok(config);
    assert.equal(config.nattenVersion, '0.17.5');
    assert.equal(config.family, 'ampere');
    assert.equal(config.headDim, 64);
    assert.deepEqual(config.select, ['gna/even-window', 'not-block-sparse']);
    assert.deepEqual(config.ignore, ['summary']);
    // The most specific pattern wins; a pattern without / matches the name in any folder.
    assert.deepEqual(layoutFor(config.inputSize, 'models/video_dit.py')?.sizes, [16, 32, 32]);
    assert.deepEqual(layoutFor(config.inputSize, 'other/video_a.py')?.sizes, [30, 48, 80]);
    assert.deepEqual(layoutFor(config.inputSize, 'deep/in/train.py')?.sizes, [64, 64]);
    assert.equal(layoutFor(config.inputSize, 'notes.txt'), undefined);
  });

  it('accepts _ for - and inline tables', () => {
    const { config, problems } = parsePyproject('[tool.gna]\nnatten_version = "v0.21"\nhead_dim = 32\ninput_size = { "a.py" = [9] }\n');
    assert.deepEqual(problems, []);
    assert.equal(config?.nattenVersion, '0.21');
    assert.equal(config?.headDim, 32);
    assert.deepEqual(layoutFor(config!.inputSize, 'a.py')?.sizes, [9]);
  });

  it('a file without [tool.gna], or broken TOML that does not mention it, is not ours', () => {
    assert.deepEqual(parsePyproject('[project]\nname = "x"\n'), { problems: [], nattenRequirements: [] });
    assert.deepEqual(parsePyproject('[project\nname = '), { problems: [], nattenRequirements: [] });
    assert.deepEqual(parsePyproject(''), { problems: [], nattenRequirements: [] });
  });

  it('broken TOML with a [tool.gna] table is reported', () => {
    const r = parsePyproject('[tool.gna]\narch = "hopper\n');
    assert.ok(r.config);
    assert.match(r.problems[0], /^not valid TOML: /);
  });

  it('drops bad values with one problem each, keeping the good ones', () => {
    const r = parsePyproject(
      '[tool.gna]\nnatten-version = 21\narch = "volta"\nhead-dim = -1\nselect = "summary"\nignore = ["summary"]\nline-length = 3\n[tool.gna.input-size]\n"a.py" = [0]\n"b.py" = [8, 8]\n',
    );
    assert.equal(r.problems.length, 6, r.problems.join('\n'));
    assert.match(r.problems.join('\n'), /natten-version must be a release.*got 21/);
    assert.match(r.problems.join('\n'), /arch must be one of hopper, blackwell, ampere, got "volta"/);
    assert.match(r.problems.join('\n'), /head-dim must be a positive integer, got -1/);
    assert.match(r.problems.join('\n'), /select must be a list of rule codes/);
    assert.match(r.problems.join('\n'), /no key 'line-length'/);
    assert.match(r.problems.join('\n'), /\[tool\.gna\.input-size\]: "a\.py" must map to 1 to 3 positive integers/);
    assert.deepEqual(r.config?.ignore, ['summary']);
    assert.deepEqual(layoutFor(r.config!.inputSize, 'b.py')?.sizes, [8, 8]);
    assert.equal(r.config?.family, undefined);
  });
});
