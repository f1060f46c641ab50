// docs/lint-rules.md lists every rule the linter can report, with its severity, and no other.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { RULES } from '../../../extension/lint/rules';

describe('docs/lint-rules.md', () => {
  it('has one row per rule, with the rule\'s severity', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'lint-rules.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `([^`]+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]));
    assert.deepEqual([...rows.keys()].sort(), [...RULES.keys()].sort());
    for (const [id, rule] of RULES) assert.equal(rows.get(id), rule.severity, id);
  });
});
