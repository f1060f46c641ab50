// Fuzz properties over the two inputs an untrusted source controls without running code (issue
// 22): `gna.inputSize` patterns from workspace settings, and benchmark files given to Import.
// The unit suite runs them briefly; `npm run bench:fuzz` runs them long and records the outcome.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { BenchRecordSchema } from '../../extension/core/benchSchema';
import { parseImport } from '../../extension/host/benchRuntime';
import { compileGlob, GlobError } from '../../extension/core/glob';
import { resolveSettings } from '../../extension/host/pure/settingsModel';
import { fixtureJson } from './benchRecords';

const GLOB_CHARS = ['a', 'b', '.', '/', '\\', '*', '*', '?', '[', ']', '!', '^', '-', '{', '}', ',', ' ', 'é', '\u0000'];

/** Glob-heavy patterns (up to 200 characters) and paths (up to 400): the backtracking worst cases live here. */
export const patternArbitrary = fc.oneof(
  fc.string({ unit: fc.constantFrom(...GLOB_CHARS), maxLength: 200 }),
  fc.array(fc.constantFrom('*a', '*', '**/', '{a,b}', '[a-z]', '?', 'a', '/'), { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 60 }),
);
export const pathArbitrary = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', 'c'), maxLength: 400 }), fc.string({ maxLength: 80 }));

/** A pattern compiles or is refused with GlobError; a compiled one answers every path, and the settings model never throws. */
export function checkPattern(pattern: string, paths: readonly string[]): void {
  let glob: ReturnType<typeof compileGlob> | undefined;
  try {
    glob = compileGlob(pattern);
  } catch (e) {
    assert.ok(e instanceof GlobError, `${JSON.stringify(pattern)} threw ${String(e)}`);
  }
  for (const path of paths) if (glob) assert.equal(typeof glob.matches(path), 'boolean');
  const settings = resolveSettings((key) => (key === 'inputSize' ? { [pattern]: [64, 64], '*.py': [8] } : undefined), paths[0] ?? 'x.py');
  assert.ok(Array.isArray(settings.warnings));
}

const NUMBERS = [0, -0, -1, 1, 0.5, 5e-324, 1e-300, 1e300, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 7, 16, 80, 256, 2 ** 26];

/** The fixture with numbers and fields replaced at random: near-valid files, where bugs hide. */
const mutatedBenchJson = fc
  .array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom<unknown>(...NUMBERS), fc.double(), fc.jsonValue())), { minLength: 1, maxLength: 6 })
  .map((edits) => {
    const json = fixtureJson() as Record<string, unknown>;
    for (const [at, value] of edits) {
      // Walk to a random leaf and replace it.
      let node: unknown = json;
      let parent: Record<string, unknown> | unknown[] | undefined;
      let key: string | number | undefined;
      let depth = 0;
      while (typeof node === 'object' && node !== null && depth < 4) {
        const keys = Object.keys(node);
        if (keys.length === 0) break;
        key = keys[(at >> depth) % keys.length];
        parent = node as Record<string, unknown>;
        node = (node as Record<string, unknown>)[key];
        depth++;
      }
      if (parent && key !== undefined) (parent as Record<string, unknown>)[key] = value;
    }
    return JSON.stringify(json);
  });

export const importTextArbitrary = fc.oneof(
  mutatedBenchJson,
  mutatedBenchJson.map((one) => `[${one},${one}]`),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);

const META = { id: (n: number) => `fuzz-${n}`, at: '2026-12-04T00:00:00.000Z', fileName: 'fuzz.json' };

function finiteEverywhere(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(finiteEverywhere);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(finiteEverywhere);
  return true;
}

/** Import never rejects; what it keeps passes the record schema and holds only finite numbers. */
export async function checkImport(text: string): Promise<'imported' | 'refused'> {
  const r = await parseImport(text, META, new Set());
  if ('error' in r) {
    assert.equal(typeof r.error, 'string');
    return 'refused';
  }
  for (const record of r.records) {
    assert.ok(BenchRecordSchema.safeParse(record).success, JSON.stringify(record).slice(0, 300));
    assert.ok(finiteEverywhere(record), JSON.stringify(record).slice(0, 300));
  }
  return 'imported';
}
