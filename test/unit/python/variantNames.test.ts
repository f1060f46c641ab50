// The name of a call's variant, as every surface shows it (hover, hint tooltip, findings, preview,
// lenses, pickers): in the user's words, never the scanner's label syntax (`L82›i=0`).
import { strict as assert } from 'assert';
import { parseVersion, pickName, PythonWorkspace, scanCalls, SourceModel, variantsOf } from '../../../extension/python';
import { pythonParser } from './parser';

// A DiNAT-style backbone (test/e2e/workspace/screens/dinat_backbone.py, shortened): the dilation
// reaches the call through two comprehensions over `i` and one call site.
const BACKBONE = `from natten.functional import na2d

class Block:
    def __init__(self, dilation=1):
        self.dilation = dilation
    def forward(self, q, k, v):
        # gna: input_size=(56, 56)
        return na2d(q, k, v, kernel_size=7, dilation=self.dilation)

class Stage:
    def __init__(self, depth, dilations):
        self.blocks = [Block(dilation=dilations[i]) for i in range(depth)]

class Net:
    def __init__(self, depths, dilations):
        self.stages = [Stage(depths[i], dilations[i]) for i in range(len(depths))]

def mini():
    return Net(depths=[2, 1], dilations=[[1, 8], [2]])
`;

describe('python: variant names', () => {
  it('says call sites as lines, keeps loop items and keys as the code spells them', () => {
    assert.equal(pickName('L82›i=0›i=1'), 'line 82, i=0, i=1');
    assert.equal(pickName('L12#2'), 'line 12, 2nd call');
    assert.equal(pickName('L12#3›k=(7, 7)'), 'line 12, 3rd call, k=(7, 7)');
    assert.equal(pickName('model.py:2›k=3'), 'model.py:2, k=3');
    assert.equal(pickName('model.py:2#11'), 'model.py:2, 11th call');
    assert.equal(pickName('if'), 'if branch');
    assert.equal(pickName('stage1'), 'stage1');
  });

  it('names the variants of a backbone call without label syntax, each once', async () => {
    const parser = await pythonParser();
    const workspace = new PythonWorkspace(parser, new Map([['net.py', BACKBONE]]));
    const model = new SourceModel(BACKBONE, parser, { workspace, path: 'net.py' });
    try {
      const [call] = scanCalls(model, parseVersion('0.21')!).calls;
      const names = variantsOf(call).map((v) => v.variant!);
      assert.ok(names.length >= 3, names.join(' | '));
      for (const name of names) assert.doesNotMatch(name, /›|\bL\d/, name);
      assert.deepEqual(names, ['i=0, i=0', 'i=0, i=1', 'i=1']);
      assert.equal(new Set(names).size, names.length, 'each variant has its own name');
    } finally {
      model.dispose();
      workspace.dispose();
    }
  });
});
