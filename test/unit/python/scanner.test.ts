// The scanner: which calls are NATTEN's (any import form, not a look-alike), how arguments map
// to parameters per NATTEN version, which values resolve, and UTF-16 ranges.
import { strict as assert } from 'assert';
import { parseVersion, PyValue, scanCalls, ScannedCall, SourceModel, variantsOf } from '../../../extension/python';
import { pythonParser } from './parser';

async function scan(text: string, version = '0.21'): Promise<{ calls: ScannedCall[]; text: string }> {
  const parser = await pythonParser();
  const model = new SourceModel(text, parser);
  try {
    return { calls: [...scanCalls(model, parseVersion(version)!).calls], text };
  } finally {
    model.dispose();
  }
}

/** A value as plain data: numbers, booleans, arrays, `?reason` for unknown. */
function plain(v: PyValue | undefined): unknown {
  if (!v) return undefined;
  switch (v.kind) {
    case 'int':
    case 'bool':
    case 'str':
      return v.value;
    case 'tuple':
      return v.items.map(plain);
    case 'unknown':
      return `?${v.reason}`;
    case 'none':
      return null;
    default:
      return v.kind;
  }
}

const arg = (c: ScannedCall, p: string) => plain(c.arguments.get(p)?.value);

describe('scanner: recognising NATTEN calls', () => {
  // Each form: the imports | the use | the op it must be recognised as.
  const forms = [
    'import natten | natten.na2d(q, k, v, 7) | na2d',
    'import natten.functional | natten.functional.na2d(q, k, v, 7) | na2d',
    'import natten.functional as F | F.na3d(q, k, v, 7) | na3d',
    'from natten import functional as nf | nf.na1d(q, k, v, 7) | na1d',
    'from natten.functional import na2d as attn | attn(q, k, v, 7) | na2d',
    'from natten import na2d | na2d(q, k, v, 7) | na2d',
    'from natten.functional import (\n    na3d,\n    neighborhood_attention_generic as nag,\n) | nag(q, k, v, (3, 3)) | neighborhood_attention_generic',
    'from natten import NeighborhoodAttention2D as NA | m = NA(64, 2, 7) | NeighborhoodAttention2D',
    'from natten.na2d import NeighborhoodAttention2D | m = NeighborhoodAttention2D(64, 2, 7) | NeighborhoodAttention2D',
    'from natten.functional import natten2dqkrpb | a = natten2dqkrpb(q, k, rpb, 7, 1) | natten2dqkrpb',
    'from natten.functional import * | a = na2d_qk(q, k, 7) | na2d_qk',
    'def f():\n    from natten import na2d\n    return na2d(q, k, v, 7) |  | na2d',
  ].map((form) => form.split(' | '));
  for (const [imports, use, op] of forms) {
    it(`${imports.split('\n')[0]} … ${use || '(inside a function)'}`, async () => {
      const { calls } = await scan(`${imports}\n${use}\n`);
      assert.deepEqual(
        calls.map((c) => c.op.name),
        [op],
      );
    });
  }

  it('ignores look-alikes that do not come from NATTEN', async () => {
    const { calls } = await scan(
      [
        'from mylib import na2d',
        'import natten',
        'class NeighborhoodAttention2D: pass',
        'na2d(q, k, v, 7)',
        'NeighborhoodAttention2D(64, 2, 7)',
        'natten.attention(q, k, v)',
        's = "natten.na2d(q, k, v, 1)"  # natten.na2d(q, k, v, 1)',
      ].join('\n'),
    );
    assert.deepEqual(calls, []);
  });

  it('keeps the callee and call ranges in UTF-16 units after non-ASCII text', async () => {
    const prefix = '# Größe × Breite 😀 é\nimport natten\nx = "日本語 🎉"; y = natten.na2d(q, k, v, (7, 7))';
    const { calls, text } = await scan(prefix);
    assert.equal(calls.length, 1);
    const c = calls[0];
    assert.equal(text.slice(c.calleeSpan.start, c.calleeSpan.end), 'natten.na2d');
    assert.equal(text.slice(c.span.start, c.span.end), 'natten.na2d(q, k, v, (7, 7))');
    const ks = c.arguments.get('kernel_size')!;
    assert.equal(text.slice(ks.span.start, ks.span.end), '(7, 7)');
    const v = ks.value;
    assert.equal(v.kind, 'tuple');
    if (v.kind === 'tuple') assert.equal(text.slice(v.items[1].span.start, v.items[1].span.end), '7');
    assert.equal(c.span.start, text.indexOf('natten.na2d'));
  });
});

describe('scanner: arguments by NATTEN version', () => {
  it('the fifth positional argument of na2d is stride from 0.20 on, dilation before', async () => {
    const text = 'from natten import na2d\nna2d(q, k, v, 7, 2)\n';
    const [newer] = (await scan(text, '0.21')).calls;
    const [older] = (await scan(text, '0.17')).calls;
    assert.equal(arg(newer, 'stride'), 2);
    assert.equal(arg(newer, 'dilation'), undefined);
    assert.equal(arg(older, 'dilation'), 2);
    assert.equal(arg(older, 'stride'), undefined);
  });

  it('module signatures: 0.20 (embed_dim, num_heads, kernel_size, stride, dilation), 0.17 (…, dilation, is_causal)', async () => {
    const text = 'from natten import NeighborhoodAttention2D as NA\nNA(256, 8, 7, 2, 3)\n';
    const [newer] = (await scan(text, '0.21')).calls;
    const [older] = (await scan(text, '0.17')).calls;
    assert.deepEqual([arg(newer, 'embed_dim'), arg(newer, 'num_heads'), arg(newer, 'kernel_size'), arg(newer, 'stride'), arg(newer, 'dilation')], [256, 8, 7, 2, 3]);
    assert.deepEqual([arg(older, 'dim'), arg(older, 'dilation'), arg(older, 'is_causal')], [256, 2, 3]);
  });

  it('legacy ops map kernel_size and dilation after the bias', async () => {
    const [c] = (await scan('from natten.functional import natten3dqkrpb\nnatten3dqkrpb(q, k, rpb, 3, 7, 1, 2)\n', '0.15')).calls;
    assert.deepEqual([arg(c, 'kernel_size_d'), arg(c, 'kernel_size'), arg(c, 'dilation_d'), arg(c, 'dilation')], [3, 7, 1, 2]);
  });

  it('reports the TypeErrors Python would raise', async () => {
    const { calls } = await scan('from natten import na2d\nna2d(q, k, v, 7, stride=2, rpb=None)\nna2d(q, k, v, 7, kernel_size=9)\n', '0.17');
    assert.deepEqual(
      calls.map((c) => c.problems.map((p) => p.kind)),
      [['unexpected-keyword'], ['duplicate-argument']],
    );
    assert.match(calls[0].problems[0].message, /unexpected keyword argument 'stride'/);
  });

  it('a leading *qkv fills the tensors; an unknown **kwargs leaves the rest open', async () => {
    const { calls } = await scan('import natten\nnatten.na2d(*qkv, 7, 2)\nnatten.na2d(q, k, v, 7, **extra)\n');
    assert.equal(arg(calls[0], 'kernel_size'), 7);
    assert.equal(arg(calls[0], 'stride'), 2);
    assert.equal(calls[1].openKeywords, true);
  });
});

describe('scanner: values', () => {
  async function kernel(setup: string, expr: string): Promise<unknown> {
    const { calls } = await scan(`import natten\n${setup}\nnatten.na2d(q, k, v, ${expr})\n`);
    assert.equal(calls.length, 1);
    return arg(calls[0], 'kernel_size');
  }

  it('literals, negatives, arithmetic, tuple operations', async () => {
    assert.deepEqual(await kernel('', '(7, 9)'), [7, 9]);
    assert.deepEqual(await kernel('', '[7, -3]'), [7, -3]);
    assert.deepEqual(await kernel('', '2 * 3 + 1'), 7);
    assert.deepEqual(await kernel('', '(7,) * 2'), [7, 7]);
    assert.deepEqual(await kernel('', '(3,) + (5,)'), [3, 5]);
    assert.deepEqual(await kernel('', '0x10 // 3 % 4'), 1);
    assert.deepEqual(await kernel('', '2 ** 3 - 1'), 7);
    assert.deepEqual(await kernel('', 'tuple([7, 7])'), [7, 7]);
    assert.equal(await kernel('', '7 / 1'), 'float');
  });

  it('names bound once at module or class level, and self attributes', async () => {
    assert.deepEqual(await kernel('K = 7\nWIN = (K, K + 2)', 'WIN'), [7, 9]);
    const { calls } = await scan(
      [
        'import natten',
        'BASE = 8',
        'class Attn:',
        '    WINDOW = (BASE - 1, BASE + 1)',
        '    def __init__(self):',
        '        self.stride = (2, 2)',
        '    def forward(self, q, k, v):',
        '        return natten.na2d(q, k, v, self.WINDOW, self.stride)',
      ].join('\n'),
    );
    assert.deepEqual(arg(calls[0], 'kernel_size'), [7, 9]);
    assert.deepEqual(arg(calls[0], 'stride'), [2, 2]);
  });

  it('reports rather than guesses: rebound names, parameters, loops, run-time values', async () => {
    assert.equal(await kernel('K = 7\nif big:\n    K = 9', 'K'), '?K is bound 2 times in the module');
    assert.equal(await kernel('for K in (3, 5):\n    pass', 'K'), 'choice');
    assert.equal(await kernel('for K in sizes():\n    pass', 'K'), '?K is a loop variable over sizes()');
    assert.match(String(await kernel('', 'cfg.kernel')), /^\?cfg\.kernel is an attribute/);
    assert.match(String(await kernel('', 'undefined_name')), /^\?undefined_name is not defined in this file/);
    const { calls } = await scan('import natten\ndef f(q, k, v, ks):\n    return natten.na2d(q, k, v, ks)\n');
    assert.equal(arg(calls[0], 'kernel_size'), '?ks is a parameter of f() without a default, and no call of f() was found');
    assert.equal(await kernel('K = 7\nK += 2', 'K'), '?K is bound 2 times in the module');
  });

  it('a function sees module names but not its class body', async () => {
    const { calls } = await scan(
      ['import natten', 'K = 5', 'class A:', '    K = 9', '    def f(self, q, k, v):', '        return natten.na2d(q, k, v, K)'].join('\n'),
    );
    assert.equal(arg(calls[0], 'kernel_size'), 5);
  });

  it('config dicts: constant keys, dict(...), ** expansion, nested', async () => {
    const setup = 'CFG = {"a": dict(kernel_size=(7, 7), stride=2), "b": {"kernel_size": 5}}';
    assert.deepEqual(await kernel(setup, 'CFG["a"]["kernel_size"]'), [7, 7]);
    const { calls } = await scan(`import natten\n${setup}\nnatten.na2d(q, k, v, **CFG["a"])\n`);
    assert.deepEqual(arg(calls[0], 'kernel_size'), [7, 7]);
    assert.equal(arg(calls[0], 'stride'), 2);
    assert.equal(calls[0].arguments.get('stride')!.spread, true);
    assert.match(String(await kernel(setup, 'CFG["c"]["kernel_size"]')), /has no key "c"/);
  });

  it('a run-time key into a config dict becomes one variant per entry', async () => {
    const { calls } = await scan(
      ['import natten', 'CFG = {"a": {"kernel_size": 7, "stride": 7}, "b": {"kernel_size": 9}}', 'def f(name, q, k, v):', '    return natten.na2d(q, k, v, **CFG[name])'].join('\n'),
    );
    const variants = variantsOf(calls[0]);
    assert.deepEqual(
      variants.map((c) => [c.variant, arg(c, 'kernel_size'), arg(c, 'stride')]),
      [
        ['a', 7, 7],
        ['b', 9, undefined],
      ],
    );
  });
});

describe('scanner: half-typed code', () => {
  it('reads an unclosed call up to its last complete argument', async () => {
    const { calls, text } = await scan('import natten\ny = natten.na2d(q, k, v, kernel_size=(7, 7), stride=(2,\nz = 1\n');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].incomplete, true);
    assert.deepEqual(arg(calls[0], 'kernel_size'), [7, 7]);
    assert.equal(arg(calls[0], 'stride'), undefined, 'the unfinished argument is dropped, not guessed');
    assert.equal(text.slice(calls[0].calleeSpan.start, calls[0].calleeSpan.end), 'natten.na2d');
  });

  it('still finds every readable call around a syntax error', async () => {
    const { calls } = await scan('import natten\na = natten.na1d(q, k, v, 3)\nb = = 2\nc = natten.na1d(q, k, v, 5)\ndef (:\nd = natten.na1d(q, k, v, 9)\n');
    assert.deepEqual(
      calls.map((c) => arg(c, 'kernel_size')),
      [3, 5, 9],
    );
  });
});
