// Traced configs in the linter and its surfaces: merging parts, matching a trace's files to the
// linted file, each traced layout reported as its own config (cross-checked against the same
// config written as an annotation), stale traces followed to their moved lines or dropped.
import { strict as assert } from 'assert';
import { FileTrace, mergeTraceParts, traceForFile } from '../../../extension/core/trace';
import { TracePart, TracedCall, TraceFileSchema } from '../../../extension/core/traceSchema';
import { sha256 } from '../../../extension/cli/traceFiles';
import { hintText } from '../../../extension/host/pure/hintText';
import { callsHoverMarkdown } from '../../../extension/host/pure/hoverMarkdown';
import { linter } from '../lint/helpers';

const MODEL = [
  'import natten',
  '',
  'class Attention:',
  '    def __init__(self, k):',
  '        self.k = k',
  '',
  '    def forward(self, q):',
  '        return natten.na2d(q, q, q, kernel_size=self.k,',
  '                           dilation=self.d)',
  '',
].join('\n');
/** The call's second line: where some Pythons report a multi-line call. */
const CALL_LINE = 9;
const CALL_CODE = 'dilation=self.d)';

function traced(layout: number[], count: number, extra: Partial<TracedCall> = {}): TracedCall {
  const rank = layout.length;
  return {
    file: 'model.py', line: CALL_LINE, code: CALL_CODE, op: 'na2d', layout, batch: 2, heads: 4, headDim: 64, dtype: 'float16', device: 'cuda:0',
    kernelSize: new Array(rank).fill(7), stride: new Array(rank).fill(1), dilation: new Array(rank).fill(2), isCausal: new Array(rank).fill(false), count, ...extra,
  };
}

function fileTrace(calls: TracedCall[], stale = false): FileTrace {
  return { calls, unread: [], stale, tracedAt: '2026-12-04T23:00:00.000Z' };
}

function part(calls: TracedCall[], files: Record<string, string>, finishedAt: number): TracePart {
  return {
    format: 'gna-trace-part', version: 1, pid: 1, startedAt: 0, finishedAt, cwd: '/w', argv: [], python: '3.11.7', natten: '0.21.0', torch: null, failed: 0,
    files: Object.fromEntries(Object.entries(files).map(([f, h]) => [f, { sha256: h }])), calls, unread: [],
  };
}

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

describe('traces: merging and matching files', () => {
  it('adds up equal entries of several processes and stores paths relative to the root when inside it', () => {
    const inside = traced([56, 56], 3, { file: '/w/proj/model.py' });
    const outside = traced([28, 28], 1, { file: '/usr/lib/site-packages/m.py' });
    const merged = mergeTraceParts(
      [part([inside, outside], { '/w/proj/model.py': H1 }, 2), part([{ ...inside, count: 4 }], { '/w/proj/model.py': H2 }, 1)],
      { root: '/w/proj/', command: ['python', 'train.py'], tracedAt: new Date(Date.UTC(2026, 11, 4)) },
    )!;
    assert.ok(TraceFileSchema.safeParse(merged).success);
    assert.deepEqual(
      merged.calls.map((c) => [c.file, c.layout, c.count]),
      [['model.py', [56, 56], 7], ['/usr/lib/site-packages/m.py', [28, 28], 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.equal(merged.files['model.py'].sha256, H1, 'the newest process has the last word on a file');
    assert.equal(merged.processes, 2);
    assert.equal(mergeTraceParts([], { root: '/', command: [], tracedAt: new Date() }), undefined);
  });

  it('matches by resolved path (stale when the content differs), or by name and content for a trace from elsewhere', () => {
    const trace = mergeTraceParts([part([traced([56, 56], 1, { file: '/w/proj/model.py' }), traced([8, 8], 1, { file: '/far/away/lib/dinat.py' })], { '/w/proj/model.py': H1, '/far/away/lib/dinat.py': H2 }, 1)], {
      root: '/w/proj',
      command: [],
      tracedAt: new Date(),
    })!;
    const here = traceForFile(trace, { path: '/home/u/proj/model.py', sha256: H1 }, '/home/u/proj');
    assert.deepEqual([here?.stale, here?.calls.map((c) => c.layout)], [false, [[56, 56]]]);
    assert.equal(traceForFile(trace, { path: '/home/u/proj/model.py', sha256: H2 }, '/home/u/proj')?.stale, true);
    assert.equal(traceForFile(trace, { path: '/home/u/other/model.py', sha256: H2 }, '/home/u/proj'), undefined);
    assert.deepEqual(traceForFile(trace, { path: '/x/dinat.py', sha256: H2 }, '/home/u/proj')?.calls.map((c) => c.layout), [[8, 8]]);
    assert.equal(traceForFile(trace, { path: '/x/dinat.py', sha256: H1 }, '/home/u/proj'), undefined, 'same name, other content: another file');
  });
});

describe('traces: the linter uses traced configs', () => {
  it('reports a traced call once per traced layout, with exactly what an annotated call of that config gets', async () => {
    const lint = await linter();
    const report = lint.lint(MODEL, { trace: fileTrace([traced([56, 56], 12), traced([28, 28], 3, { batch: 8 }), traced([28, 28], 1, { batch: 1, dtype: 'bfloat16' })]) });
    assert.deepEqual(
      report.calls.map((c) => [c.variant, c.layoutSource, c.traced?.count, c.traced?.batches, c.traced?.dtypes]),
      [
        ['traced 56×56', 'trace', 12, [2], ['float16']],
        ['traced 28×28', 'trace', 4, [1, 8], ['float16', 'bfloat16']],
      ],
    );
    for (const [layout, call] of [[56, report.calls[0]], [28, report.calls[1]]] as const) {
      const annotated = lint.lint(`import natten\n# gna: input_size=(${layout}, ${layout}), head_dim=64\ny = natten.na2d(q, q, q, kernel_size=7, dilation=2)\n`);
      assert.deepEqual(call.check.problem, annotated.calls[0].check.problem);
      assert.deepEqual(call.simulation, annotated.calls[0].simulation);
      assert.deepEqual(call.tiles, annotated.calls[0].tiles);
    }
    const rules = new Set(report.findings.map((f) => f.rule));
    assert.ok(!rules.has('gna/unresolved') && !rules.has('gna/needs-layout'), [...rules].join(', '));
    assert.ok(report.findings.some((f) => f.rule === 'gna/summary' && f.message.startsWith('[traced 56×56]')));
  });

  it('says how the op read the traced tensor when its layout fails the window check (a tensor in another order)', async () => {
    // The pattern of transformers 5's DiNAT (huggingface/transformers src/transformers/models/dinat/
    // modeling_dinat.py, NeighborhoodAttention.forward): [batch, H, W, channels] viewed as heads and
    // transposed on the wrong axes, so natten2dqkrpb reads [batch, W, H, heads, head_dim].
    const source = [
      'from natten.functional import natten2dqkrpb',
      '',
      'def forward(self, query_layer, key_layer):',
      '    return natten2dqkrpb(query_layer, key_layer, self.rpb, self.kernel_size, self.dilation)',
      '',
    ].join('\n');
    const call = (layout: number[], heads: number) =>
      traced(layout, 1, { line: 4, code: 'return natten2dqkrpb(query_layer, key_layer, self.rpb, self.kernel_size, self.dilation)', op: 'natten2dqkrpb', heads, headDim: 32, dilation: [1, 1] });
    const lint = await linter();
    const wrong = lint.lint(source, { trace: fileTrace([call([56, 2], 56)]) }).findings.filter((f) => f.rule === 'gna/window-exceeds-input');
    assert.equal(wrong.length, 1);
    assert.match(wrong[0].message, /Token layout from the traced run\. natten2dqkrpb reads its tensors as \[batch, heads, \*layout, head_dim\]; the traced ones gave batch 2, 56 heads, layout 56×2, head dim 32: if that is not the layout you meant, the tensor reached the call in another order\./);
    // The same call in NATTEN's order: no error, so no note.
    const right = lint.lint(source, { trace: fileTrace([call([56, 56], 2)]) });
    assert.ok(!right.findings.some((f) => f.severity === 'error'), right.findings.map((f) => f.message).join('\n'));
  });

  it('uses traced tile arguments, and ignores entries of another op or another line', async () => {
    const lint = await linter();
    const report = lint.lint(MODEL, {
      trace: fileTrace([traced([64, 64], 1, { tiles: { qTileShape: [8, 16], kvTileShape: [16, 8] } }), traced([64, 64], 1, { op: 'na1d' }), traced([64, 64], 1, { line: 7 })]),
    });
    assert.equal(report.calls.length, 1);
    assert.deepEqual(report.calls[0].tiles, { q: [8, 16], kv: [16, 8] });
    const untraced = lint.lint(MODEL, { trace: fileTrace([traced([64, 64], 1, { op: 'na1d' })]) });
    assert.deepEqual([untraced.calls[0].layoutSource, untraced.calls[0].traced], ['none', undefined]);
  });

  it('follows a stale entry to its moved line, marks it stale, and drops it once its line is gone', async () => {
    const lint = await linter();
    const moved = `# a comment added after the trace\n${MODEL}`;
    const report = lint.lint(moved, { trace: fileTrace([traced([56, 56], 2)], true) });
    assert.deepEqual(report.calls.map((c) => [c.variant, c.traced?.stale]), [['traced 56×56 (stale)', true]]);
    const rewritten = MODEL.replace('dilation=self.d)', 'dilation=1)');
    assert.equal(lint.lint(rewritten, { trace: fileTrace([traced([56, 56], 2)], true) }).calls[0].traced, undefined);
  });

  it('marks hints and hovers as traced, and as stale', async () => {
    const lint = await linter();
    const fresh = lint.lint(MODEL, { trace: fileTrace([traced([56, 56], 12)]) });
    const stale = lint.lint(MODEL, { trace: fileTrace([traced([56, 56], 12)], true) });
    assert.match(hintText(fresh.calls)!.label, / · 56×56 traced$/);
    assert.match(hintText(stale.calls)!.label, /× simulated · (56×56 )?traced, stale$/);
    const context = { uri: 'file:///m.py', family: 'hopper' as const, headDim: 128, trusted: true };
    const hover = callsHoverMarkdown(fresh.calls, context);
    assert.match(hover, /Traced: layout and config from a run .*12 calls · batch 2 · 4 heads · float16 · on cuda:0/);
    assert.doesNotMatch(hover, /Stale/);
    assert.match(callsHoverMarkdown(stale.calls, context), /⚠ \*\*Stale\*\*: the file changed after the trace/);
  });

  it('hashes text as the Python tracer hashes file bytes (UTF-8)', () => {
    assert.equal(sha256('x = "é"\n'), sha256(Buffer.from('x = "é"\n', 'utf8')));
    assert.equal(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
