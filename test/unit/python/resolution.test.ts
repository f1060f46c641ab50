// Value resolution of real model code: parameter defaults and call sites (same file and across
// the workspace), loops and comprehensions (with Python's comprehension scoping), indexing by a
// loop variable, pytest.mark.parametrize, itertools.product, config objects, **kwargs forwarding.
import { strict as assert } from 'assert';
import { parseVersion, possibleValues, PythonWorkspace, PyValue, scanCalls, ScannedCall, SourceModel } from '../../../extension/python';
import { pythonParser } from './parser';

async function scan(text: string, files: Record<string, string> = {}, path = 'main.py'): Promise<ScannedCall[]> {
  const parser = await pythonParser();
  const workspace = new PythonWorkspace(parser, new Map([[path, text], ...Object.entries(files)]));
  const model = new SourceModel(text, parser, { workspace, path });
  try {
    return [...scanCalls(model, parseVersion('0.21')!).calls];
  } finally {
    model.dispose();
    workspace.dispose();
  }
}

function plain(v: PyValue | undefined): unknown {
  if (!v) return 'default';
  switch (v.kind) {
    case 'int':
    case 'bool':
    case 'str':
      return v.value;
    case 'none':
      return null;
    case 'tuple':
      return v.items.map(plain);
    case 'unknown':
      return '?';
    default:
      return v.kind;
  }
}

/** Every value an argument may take, in order, duplicates removed. */
function values(call: ScannedCall, param: string): unknown[] {
  const arg = call.arguments.get(param);
  if (!arg) return [];
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of possibleValues(arg.value)) {
    const p = plain(v);
    const k = JSON.stringify(p);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}

function reason(call: ScannedCall, param: string): string {
  const v = call.arguments.get(param)?.value;
  return v?.kind === 'unknown' ? v.reason : '';
}

describe('resolution: parameters', () => {
  it('uses the default when no call of the function is found', async () => {
    const [c] = await scan('from natten import NeighborhoodAttention2D\nclass Layer:\n    def __init__(self, dim, kernel_size=7, dilation=None):\n        self.attn = NeighborhoodAttention2D(dim, 4, kernel_size, dilation=dilation)\n');
    assert.deepEqual(values(c, 'kernel_size'), [7]);
    assert.deepEqual(values(c, 'dilation'), [null]);
  });

  it('takes the arguments of every call of the class, keyword or positional, default where left out', async () => {
    const text = [
      'from natten import NeighborhoodAttention2D',
      'class Layer:',
      '    def __init__(self, dim, kernel_size=7, dilation=1):',
      '        self.attn = NeighborhoodAttention2D(dim, 4, kernel_size=kernel_size, dilation=dilation)',
      'a = Layer(64, 5, dilation=2)',
      'b = Layer(64, kernel_size=9)',
      'c = Layer(64)',
    ].join('\n');
    const [c] = await scan(text);
    const ks = c.arguments.get('kernel_size')!.value;
    assert.equal(ks.kind, 'choice');
    assert.deepEqual(values(c, 'kernel_size'), [5, 9, 7]);
    assert.deepEqual(values(c, 'dilation'), [2, 1]);
    // Both arguments come from the same calls, so each call's pair stays together.
    const dil = c.arguments.get('dilation')!.value;
    assert.ok(ks.kind === 'choice' && dil.kind === 'choice' && ks.source === dil.source);
    assert.deepEqual(ks.kind === 'choice' && ks.options.map((o) => o.label), ['L5', 'L6', 'L7']);
  });

  it('follows parameters through several levels of calls (factory → model → layer)', async () => {
    const text = [
      'import natten',
      'class Attn:',
      '    def __init__(self, dim, kernel_size, dilation):',
      '        self.kernel_size = kernel_size',
      '        self.dilation = dilation',
      '    def forward(self, q, k, v):',
      '        return natten.na2d(q, k, v, self.kernel_size, dilation=self.dilation)',
      'class Stage:',
      '    def __init__(self, dim, depth, kernel_size, dilations=None):',
      '        self.blocks = [Attn(dim, kernel_size, None if dilations is None else dilations[i]) for i in range(depth)]',
      'def model_tiny(**kwargs):',
      '    return [Stage(64, 2, 7, [1, 8]), Stage(128, 2, 7, [1, 4]), Stage(256, 6, 7, dilations=[1, 2, 1, 2, 1, 2])]',
    ].join('\n');
    const [c] = await scan(text);
    assert.deepEqual(values(c, 'kernel_size'), [7]);
    assert.deepEqual(values(c, 'dilation'), [1, 8, 4, 2]);
  });

  it('reads calls in other workspace files that import the class, and its config module', async () => {
    const layer = [
      'from natten import NeighborhoodAttention1D',
      'class Block:',
      '    def __init__(self, dim, kernel_size=7):',
      '        self.attn = NeighborhoodAttention1D(dim, 4, kernel_size)',
    ].join('\n');
    const model = 'from .layer import Block\nblocks = [Block(64, kernel_size=k) for k in (3, 5)]\nlast = Block(64, 9)\n';
    const unrelated = 'class Block:\n    pass\nx = Block(64, kernel_size=99)\n';
    const [c] = await scan(layer, { 'pkg/model.py': model, 'other/unrelated.py': unrelated }, 'pkg/layer.py');
    assert.deepEqual(values(c, 'kernel_size'), [3, 5, 9]);
    const ks = c.arguments.get('kernel_size')!.value;
    assert.deepEqual(ks.kind === 'choice' && ks.options.map((o) => o.label), ['model.py:2›k=3', 'model.py:2›k=5', 'model.py:3']);
  });

  it('follows one level of **kwargs to the factory callers, and a **config dict', async () => {
    const text = [
      'from natten import NeighborhoodAttention2D as NA',
      'class Net:',
      '    def __init__(self, dim=64, kernel_size=7):',
      '        self.na = NA(dim, 2, kernel_size)',
      'def make(**kwargs):',
      '    return Net(dim=32, **kwargs)',
      'm = make(kernel_size=11)',
      'cfg = {"kernel_size": 13}',
      'n = Net(**cfg)',
    ].join('\n');
    const [c] = await scan(text);
    assert.deepEqual(values(c, 'kernel_size'), [11, 13]);
  });

  it('reads pytest.mark.parametrize, stacked and with several names', async () => {
    const text = [
      'import pytest',
      'from natten.functional import na2d',
      '@pytest.mark.parametrize("kernel_size,dilation", [(3, 1), (5, 2), (7, 3)])',
      '@pytest.mark.parametrize("is_causal", [False, True])',
      'def test_na(kernel_size, dilation, is_causal):',
      '    na2d(q, k, v, kernel_size, dilation=dilation, is_causal=is_causal)',
    ].join('\n');
    const [c] = await scan(text);
    assert.deepEqual(values(c, 'kernel_size'), [3, 5, 7]);
    assert.deepEqual(values(c, 'dilation'), [1, 2, 3]);
    assert.deepEqual(values(c, 'is_causal'), [false, true]);
  });
});

describe('resolution: loops and comprehensions', () => {
  it('iterates literal lists in for loops, itertools.product, zip and enumerate', async () => {
    const text = [
      'import itertools',
      'from natten import na1d',
      'for ks, dil in itertools.product([3, 5], [1, 2]):',
      '    na1d(q, k, v, ks, dilation=dil)',
      'for i, (k2, d2) in enumerate(zip([7, 9], [4, 8])):',
      '    na1d(q, k, v, k2, dilation=d2)',
    ].join('\n');
    const [a, b] = await scan(text);
    assert.deepEqual(values(a, 'kernel_size'), [3, 5]);
    assert.deepEqual(values(a, 'dilation'), [1, 2]);
    assert.deepEqual(values(b, 'kernel_size'), [7, 9]);
    assert.deepEqual(values(b, 'dilation'), [4, 8]);
  });

  it('indexes a literal list by a loop variable (dilations[i])', async () => {
    const text = 'from natten import na2d\ndilations = [1, 2, 4]\nfor i in range(depth):\n    na2d(q, k, v, 7, dilation=dilations[i])\n';
    const [c] = await scan(text);
    assert.deepEqual(values(c, 'dilation'), [1, 2, 4]);
  });

  it("gives a comprehension variable its own scope: an outer variable of the same name is not it", async () => {
    const text = [
      'from natten import NeighborhoodAttention2D',
      'k = 8  # an even window: an error if it were the one used',
      'layers = [NeighborhoodAttention2D(64, 4, kernel_size=k) for k in [3, 5, 7]]',
      'outer = NeighborhoodAttention2D(64, 4, kernel_size=k)',
    ].join('\n');
    const [inner, outer] = await scan(text);
    assert.deepEqual(values(inner, 'kernel_size'), [3, 5, 7]);
    assert.deepEqual(values(outer, 'kernel_size'), [8]);
  });

  it('says why a comprehension variable over a run-time iterable is not known', async () => {
    const [c] = await scan('from natten import na1d\nouts = [na1d(q, k, v, ks) for ks in sizes()]\n');
    assert.match(reason(c, 'kernel_size'), /comprehension variable over sizes\(\)/);
  });
});

describe('resolution: config objects', () => {
  it('reads a dataclass default through an annotated parameter', async () => {
    const text = [
      'from dataclasses import dataclass',
      'from natten import na3d',
      '@dataclass',
      'class AttnConfig:',
      '    kernel_size: tuple = (3, 7, 7)',
      '    dilation: int = 1',
      'def attend(q, k, v, cfg: AttnConfig):',
      '    return na3d(q, k, v, cfg.kernel_size, dilation=cfg.dilation)',
    ].join('\n');
    const [c] = await scan(text);
    assert.deepEqual(values(c, 'kernel_size'), [[3, 7, 7]]);
    assert.deepEqual(values(c, 'dilation'), [1]);
  });

  it('reads __init__ defaults of a *Config class in another file for an untyped config', async () => {
    const configFile = [
      'class DinatConfig:',
      '    def __init__(self, kernel_size=7, dilations=[[1, 8, 1], [1, 4]]):',
      '        self.kernel_size = kernel_size',
      '        self.dilations = dilations',
    ].join('\n');
    const layer = [
      'from natten.functional import natten2dqkrpb',
      'class Layer:',
      '    def __init__(self, config, dilation):',
      '        self.kernel_size = config.kernel_size',
      '        self.dilation = dilation',
      '    def forward(self, q, k):',
      '        return natten2dqkrpb(q, k, self.rpb, self.kernel_size, self.dilation)',
      'class Stage:',
      '    def __init__(self, config, dilations):',
      '        self.layers = [Layer(config, dilations[i]) for i in range(2)]',
      'class Encoder:',
      '    def __init__(self, config):',
      '        self.stages = [Stage(config, config.dilations[j]) for j in range(2)]',
    ].join('\n');
    const [c] = await scan(layer, { 'configuration_dinat.py': configFile }, 'modeling_dinat.py');
    assert.deepEqual(values(c, 'kernel_size'), [7]);
    assert.deepEqual(values(c, 'dilation'), [1, 8, 4]);
  });
});
