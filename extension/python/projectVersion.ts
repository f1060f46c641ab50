// The NATTEN release a project targets, read from its dependency pins: requirements*.txt,
// pyproject.toml (PEP 621 lists and Poetry tables), setup.py / setup.cfg install_requires, and
// conda environment.yml (pip section included). Pure: the shells find the nearest such files and
// hand their texts over. `natten==0.17.5` is that release; `natten>=0.17,<0.20` the newest release
// below the bound; `natten>=0.17` alone its floor (code is written for the release it names).

import { parsePyproject } from '../core/pyproject';
import { compareVersions, formatVersion, parseVersion, Version } from './nattenApi';

/** NATTEN's releases (the repository's tags), oldest first. */
export const NATTEN_RELEASES: readonly string[] = [
  '0.14.1', '0.14.2', '0.14.4', '0.14.5', '0.14.6', '0.15.0', '0.15.1', '0.17.0', '0.17.1', '0.17.3', '0.17.4', '0.17.5',
  '0.20.0', '0.20.1', '0.21.0', '0.21.1', '0.21.5', '0.21.6',
];

/** The project files that can pin NATTEN, in the order a folder's files are consulted. */
export const PROJECT_FILES = /^(requirements[\w.-]*\.(txt|in)|pyproject\.toml|setup\.py|setup\.cfg|environment\.ya?ml)$/;

export interface ProjectVersion {
  readonly version: string;
  /** The file name and the requirement as written (`requirements.txt: natten==0.17.5`). */
  readonly source: string;
}

const REQUIREMENT = /(?:^|["'\s,[-])natten\s*(?:\[[^\]]*\])?\s*((?:(?:==|~=|>=|<=|!=|<|>|===)\s*[\d.*]+\s*,?\s*)+)/i;

/** The release a requirement specifier picks; undefined when it names none. */
export function versionFromSpecifier(spec: string): string | undefined {
  const clauses = [...spec.matchAll(/(===|==|~=|>=|<=|!=|<|>|\^|~)?\s*([\d]+(?:\.[\d*]+)*)/g)].map((m) => ({ op: m[1] ?? '==', v: m[2] }));
  const exact = clauses.find((c) => c.op === '==' || c.op === '===' || c.op === '~=' || c.op === '^' || c.op === '~');
  if (exact) {
    const v = exact.v.replace(/\.\*$/, '');
    return parseVersion(v) ? v : undefined;
  }
  const upper = clauses.find((c) => c.op === '<' || c.op === '<=');
  const lower = clauses.find((c) => c.op === '>=' || c.op === '>');
  const bound = upper ? parseVersion(upper.v) : undefined;
  if (bound) {
    const floor = lower ? parseVersion(lower.v) : undefined;
    const fits = NATTEN_RELEASES.map((r) => parseVersion(r)!).filter(
      (r) => (upper!.op === '<' ? compareVersions(r, bound) < 0 : compareVersions(r, bound) <= 0) && (!floor || compareVersions(r, floor) >= 0),
    );
    if (fits.length > 0) return formatVersion(fits[fits.length - 1] as Version);
  }
  return lower && parseVersion(lower.v) ? lower.v : undefined;
}

/** The NATTEN pin in one project file's text, if it has one. */
export function pinInFile(name: string, text: string): ProjectVersion | undefined {
  if (/\.toml$/.test(name)) {
    // One TOML reader for the project's pin and its [tool.gna] table (core/pyproject.ts).
    for (const spec of parsePyproject(text).nattenRequirements) {
      const v = versionFromSpecifier(spec);
      if (v) return { version: v, source: `${name}: natten${/^(?:[\d^]|~(?!=))/.test(spec) ? ` = "${spec}"` : spec.replace(/\s+/g, '')}` };
    }
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    const m = REQUIREMENT.exec(line);
    if (!m) continue;
    const v = versionFromSpecifier(m[1]);
    if (v) return { version: v, source: `${name}: natten${m[1].trim().replace(/\s+/g, '')}` };
  }
  return undefined;
}

/** The first pin among one folder's project files (`files`: name → text). */
export function pinInFolder(files: ReadonlyMap<string, string>): ProjectVersion | undefined {
  const names = [...files.keys()].filter((n) => PROJECT_FILES.test(n)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const n of names) {
    const pin = pinInFile(n, files.get(n)!);
    if (pin) return pin;
  }
  return undefined;
}

function rank(name: string): number {
  if (name.startsWith('requirements')) return 0;
  if (name === 'pyproject.toml') return 1;
  if (name.startsWith('setup')) return 2;
  return 3;
}
