import { strict as assert } from 'assert';
import fc from 'fast-check';
import { codeSpans } from '../../../webview/model/codeSpans';

describe('view model: code spans of a reason', () => {
  it('draws backticked code as code, never the backticks (the missing layout reason)', () => {
    assert.deepEqual(codeSpans('the token layout is known only at run time: add `# gna: input_size=(…)` above the call'), [
      { text: 'the token layout is known only at run time: add ', code: false },
      { text: '# gna: input_size=(…)', code: true },
      { text: ' above the call', code: false },
    ]);
    assert.deepEqual(codeSpans('`ks` and `d`'), [
      { text: 'ks', code: true },
      { text: ' and ', code: false },
      { text: 'd', code: true },
    ]);
    assert.deepEqual(codeSpans('an odd ` stays'), [{ text: 'an odd ` stays', code: false }]);
  });

  it('random text: the spans put back together are the text less the backticks of each pair, and no code span is empty', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' ', '`', '(', '…')).map((cs) => cs.join('')), (text) => {
        const spans = codeSpans(text);
        const pairs = spans.filter((s) => s.code).length;
        assert.equal(spans.map((s) => s.text).join('').length, text.length - 2 * pairs);
        assert.ok(spans.every((s) => s.text.length > 0));
        assert.ok(spans.filter((s) => s.code).every((s) => !s.text.includes('`')));
      }),
    );
  });
});
