// The statement splitter against tree-sitter's own parse of whole files: every logical line it
// finds must start where tree-sitter starts a statement (or clause), and none may be missed.
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import type { Node } from 'web-tree-sitter';
import { indexStatements, scopeOf } from '../../../extension/python';
import { repoPath } from '../lint/helpers';
import { pythonParser } from './parser';

const STATEMENT = /(_statement|_definition|_clause)$|^decorator$/;
const NOT_STATEMENTS = new Set(['for_in_clause', 'if_clause', 'with_clause', 'case_clause']);

/** Start offsets of every statement and block clause tree-sitter sees. */
function oracleStarts(root: Node): number[] {
  const starts = new Set<number>();
  const walk = (n: Node): void => {
    if ((STATEMENT.test(n.type) && !NOT_STATEMENTS.has(n.type)) || n.type === 'decorated_definition') starts.add(n.startIndex);
    for (const c of n.namedChildren) if (c) walk(c);
  };
  walk(root);
  return [...starts].sort((a, b) => a - b);
}

const CASES = [
  'x = 1\ny = "# not a comment"\n',
  'def f(a,\n      b):\n    return (a +\n            b)\n\nclass C:\n    K = 3\n    def g(self):\n        pass\n',
  's = """multi\nline # string\n"""\nt = 1\n',
  "u = 'it\\'s'\nv = f'{x!r}'\n",
  'if a:\n    b = 1\nelif c:\n    b = 2\nelse:\n    b = 3\n',
  'try:\n    import natten\nexcept ImportError:\n    natten = None\nfinally:\n    pass\n',
  'x = 1 + \\\n    2\ny = [\n  1,  # one\n  2,\n]\n',
  '@decorator(1)\ndef f():\n    pass\n',
  'with open(p) as fh, lock:\n    data = fh.read()\n',
  'for i in range(3):\n    while i:\n        i -= 1\n',
  'x = 1\r\ny = 2\r\nif x:\r\n    z = 3\r\n',
  '\tif x:\n\t\ty = 1\n',
  'async def f():\n    await g()\n',
];

describe('indexStatements', () => {
  it('agrees with tree-sitter on hand-written cases', async () => {
    const { parser } = await pythonParser();
    for (const text of CASES) {
      const tree = parser.parse(text)!;
      try {
        assert.equal(tree.rootNode.hasError, false, `case parses: ${JSON.stringify(text)}`);
        const mine = indexStatements(text).statements.map((s) => s.start);
        assert.deepEqual(mine, oracleStarts(tree.rootNode), JSON.stringify(text));
      } finally {
        tree.delete();
      }
    }
  });

  it('agrees with tree-sitter on every fixture and example file', async () => {
    const { parser } = await pythonParser();
    const dirs = [repoPath('test', 'fixtures', 'python'), repoPath('examples')];
    let files = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.py'))) {
        const text = readFileSync(`${dir}/${name}`, 'utf8');
        const tree = parser.parse(text)!;
        try {
          const mine = indexStatements(text).statements.map((s) => s.start);
          assert.deepEqual(mine, oracleStarts(tree.rootNode), name);
          files++;
        } finally {
          tree.delete();
        }
      }
    }
    assert.ok(files >= 8, `checked ${files} files`);
  });

  it('agrees with tree-sitter on 400 random programs (strings, comments, brackets, blocks)', async () => {
    const { parser } = await pythonParser();
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const simple = [
      'x = 1', 'y = "a # b"', "z = 'it\\'s'", 's = """doc\n# not a comment\nend"""', 'f(a,\n  b)  # call', 'd = {\n  "k": [1,\n 2],\n}',
      'x = 1 + \\\n    2', 'pass', 'return (a,\n        b)', 'k = r"\\d+"', 't = f"{x!r} é"', '# just a comment', 'import natten', 'a[1:2] = b',
    ];
    const headers = ['if x:', 'for i in range(3):', 'while False:', 'with a as b:', 'def f(a,\n      b=2):', 'class C(Base):', 'try:'];
    let checked = 0;
    for (let n = 0; n < 400; n++) {
      const lines: string[] = [];
      const block = (indent: string, depth: number): void => {
        const count = 1 + Math.floor(rnd() * 4);
        for (let i = 0; i < count; i++) {
          if (depth < 3 && rnd() < 0.3) {
            const h = pick(headers);
            lines.push(indent + h.split('\n').join('\n' + indent));
            block(indent + pick(['    ', '\t', '  ']), depth + 1);
            if (h === 'try:') {
              lines.push(`${indent}except E:`);
              block(indent + '    ', depth + 1);
            }
          } else lines.push(indent + pick(simple).split('\n').join('\n' + indent));
          if (rnd() < 0.1) lines.push('');
        }
      };
      block('', 0);
      const text = lines.join(rnd() < 0.2 ? '\r\n' : '\n') + '\n';
      const tree = parser.parse(text)!;
      try {
        if (tree.rootNode.hasError) continue; // only programs tree-sitter accepts are an oracle
        const mine = indexStatements(text).statements.map((st) => st.start);
        assert.deepEqual(mine, oracleStarts(tree.rootNode), JSON.stringify(text));
        checked++;
      } finally {
        tree.delete();
      }
    }
    assert.ok(checked > 250, `${checked} valid programs compared`);
  });

  it('knows the block structure: scopes, headers, names', () => {
    const text = 'K = 1\nclass A:\n    X = 2\n    def f(self):\n        if K:\n            y = 3\n';
    const idx = indexStatements(text);
    const [k, cls, x, f, iff, y] = idx.statements;
    assert.equal(cls.scopeKind, 'class');
    assert.equal(cls.name, 'A');
    assert.equal(f.scopeKind, 'def');
    assert.equal(f.name, 'f');
    assert.equal(scopeOf(idx, k.index), -1);
    assert.equal(scopeOf(idx, x.index), cls.index);
    assert.equal(scopeOf(idx, iff.index), f.index);
    assert.equal(scopeOf(idx, y.index), f.index, 'an if block is not a scope');
    assert.equal(iff.header, true);
    assert.equal(y.parent, iff.index);
  });

  it('records comments, standalone or trailing, with their lines', () => {
    const idx = indexStatements('# top\nx = 1  # trailing\n  # indented\ny = "#"\n');
    assert.deepEqual(
      idx.comments.map((c) => [c.line, c.standalone]),
      [
        [0, true],
        [1, false],
        [2, true],
      ],
    );
  });

  it('an unclosed bracket or string runs to the end, as Python reads it', () => {
    const a = indexStatements('x = f(1,\ny = 2\nz = 3\n');
    assert.equal(a.statements.length, 1);
    const b = indexStatements('s = """open\nx = 1\n');
    assert.equal(b.statements.length, 1);
    const c = indexStatements("s = 'open\nx = 1\n");
    assert.equal(c.statements.length, 2, 'a single-quoted string ends at the line end');
  });
});
