import { strict as assert } from 'assert';
import fc from 'fast-check';
import { compileGlob, GlobError, MAX_GLOB_LENGTH } from '../../../extension/core/glob';

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

/**
 * The reference: the same glob semantics written as a backtracking regular expression, which is
 * exponential in the worst case but exact, so it checks the automaton on small random inputs.
 */
function referenceRegex(pattern: string): RegExp | 'invalid' {
  const trimmed = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const body = trimmed.replace(/^\//, '');
  const glob = trimmed.includes('/') ? body : `**/${body}`;
  const u = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const segmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '*' && glob[i + 1] === '*' && segmentStart && glob[i + 2] === '/') {
      out += '(?:.*/)?';
      i += 2;
    } else if (c === '*' && glob[i + 1] === '*' && segmentStart && i + 2 === glob.length) {
      out += '.*';
      i += 1;
    } else if (c === '*') {
      if (glob[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      let j = i + 1;
      const negated = glob[j] === '!' || glob[j] === '^';
      if (negated) j++;
      const close = glob.indexOf(']', j + 1);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let set = '';
      for (let k = j; k < close; k++) {
        if (glob[k + 1] === '-' && k + 2 < close) {
          if (glob[k] > glob[k + 2]) return 'invalid';
          set += `${u(glob[k])}-${u(glob[k + 2])}`;
          k += 2;
        } else set += u(glob[k]);
      }
      out += `(?!/)[${negated ? '^' : ''}${set}]`;
      i = close;
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) out += '|';
    else out += u(c);
  }
  return new RegExp(`^${out}${')'.repeat(depth)}$`);
}

describe('host: glob patterns are matched in linear time, and bad ones are reported', function () {
  // The outer limit for every case below; a backtracking matcher takes far longer on them.
  this.timeout(60_000);

  it('the catastrophic-backtracking pattern *a*a*a*a*a*a*b against 80 and 100,000-character names finishes with the right answer', () => {
    const glob = compileGlob('*a*a*a*a*a*a*b');
    assert.equal(glob.matches(`${'a'.repeat(80)}.py`), false);
    assert.equal(glob.matches(`${'a'.repeat(100_000)}c`), false);
    assert.equal(glob.matches(`${'a'.repeat(100_000)}b`), true);
    assert.equal(compileGlob(`${'{a,'.repeat(200)}b${'}'.repeat(200)}`).matches('b'), true); // deep nesting compiles
  });

  it('a reversed range [z-a] is a GlobError naming it; an over-long pattern too', () => {
    assert.throws(() => compileGlob('**/[z-a].py'), (e: unknown) => e instanceof GlobError && /the range z-a in \[z-a\] is reversed/.test(e.message));
    assert.throws(() => compileGlob('{x,[9-0]}'), GlobError);
    assert.throws(() => compileGlob('a'.repeat(MAX_GLOB_LENGTH + 1)), GlobError);
  });

  it('a range [a-c] and a class never match the separator', () => {
    assert.equal(compileGlob('dit_[a-c].py').matches('dit_b.py'), true);
    assert.equal(compileGlob('dit_[a-c].py').matches('dit_d.py'), false);
    assert.equal(compileGlob('x[!a]y/z.py').matches('x/y/z.py'), false);
  });

  it('fast-check: agrees with the backtracking reference on random small patterns and paths; never throws but GlobError', () => {
    const patternChar = fc.constantFrom('a', 'b', '.', '/', '*', '?', '[', ']', '!', '-', '{', '}', ',');
    const pathChar = fc.constantFrom('a', 'b', '.', '/', '-', ']', '!');
    fc.assert(
      fc.property(fc.string({ unit: patternChar, maxLength: 12 }), fc.array(fc.string({ unit: pathChar, maxLength: 10 }), { minLength: 1, maxLength: 6 }), (pattern, paths) => {
        if (pattern.trim() === '') return;
        const reference = referenceRegex(pattern);
        let glob: ReturnType<typeof compileGlob>;
        try {
          glob = compileGlob(pattern);
        } catch (e) {
          assert.ok(e instanceof GlobError, String(e));
          assert.equal(reference, 'invalid', pattern);
          return;
        }
        assert.notEqual(reference, 'invalid', pattern);
        for (const path of paths) assert.equal(glob.matches(path), (reference as RegExp).test(path.replace(/^\.?\//, '')), `${pattern} on ${path}`);
      }),
      { numRuns: 3000, seed: 22 },
    );
  });
});
