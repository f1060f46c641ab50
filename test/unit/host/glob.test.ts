import { strict as assert } from 'assert';
import { compileGlob } from '../../../extension/host/pure/glob';

describe('host: glob patterns of settings', () => {
  const cases: [pattern: string, path: string, expected: boolean][] = [
    ['**/*.py', 'model.py', true],
    ['**/*.py', 'models/video/dit.py', true],
    ['**/*.py', 'models/video/dit.pyc', false],
    ['*.py', 'deep/down/model.py', true], // no `/`: the file name in any folder
    ['video_*.py', 'models/video_dit.py', true],
    ['video_*.py', 'models/image_dit.py', false],
    ['models/*.py', 'models/dit.py', true],
    ['models/*.py', 'models/sub/dit.py', false], // `*` stays inside one folder
    ['models/**', 'models/sub/dit.py', true],
    ['/models/*.py', 'models/dit.py', true], // a leading `/` anchors at the workspace root
    ['./models/*.py', 'models/dit.py', true],
    ['models/**/dit.py', 'models/dit.py', true], // `**/` may match no folder at all
    ['models/**/dit.py', 'models/a/b/dit.py', true],
    ['**/{video,image}/*.py', 'src/video/dit.py', true],
    ['**/{video,image}/*.py', 'src/audio/dit.py', false],
    ['dit_?.py', 'dit_3.py', true],
    ['dit_?.py', 'dit_30.py', false],
    ['dit_[12].py', 'dit_2.py', true],
    ['dit_[!12].py', 'dit_2.py', false],
    ['dit_[!12].py', 'dit_3.py', true],
    ['a.b.py', 'aXb.py', false], // `.` is literal
    ['(x)+.py', '(x)+.py', true], // regex specials are literal
    ['{unclosed.py', 'unclosed.py', true], // half-typed pattern still compiles
    ['[unclosed.py', '[unclosed.py', true],
  ];
  for (const [pattern, path, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(compileGlob(pattern).matches(path), expected);
    });
  }

  it('accepts Windows separators in the path', () => {
    assert.equal(compileGlob('models/*.py').matches('models\\dit.py'), true);
  });

  it('ranks patterns with more literal characters as more specific', () => {
    assert.ok(compileGlob('**/video_dit.py').specificity > compileGlob('**/video_*.py').specificity);
    assert.ok(compileGlob('**/video_*.py').specificity > compileGlob('**/*.py').specificity);
  });
});
