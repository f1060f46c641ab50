// The NATTEN version for a file: `--natten-version` if given, else the pin in the nearest folder
// above the file that has one (requirements*.txt, pyproject.toml, setup.py/.cfg, environment.yml;
// parsed by the pure projectVersion.ts), else the newest release. Folders are read once each.

import { readdirSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { NEWEST_VERSION } from '../python/nattenApi';
import { PROJECT_FILES, pinInFolder, ProjectVersion } from '../python/projectVersion';
import { readBoundedFile } from './walk';

export interface VersionChoice {
  readonly version: string;
  /** `--natten-version`, `requirements.txt: natten==0.17.5` (with its folder), or `default (newest)`. */
  readonly source: string;
}

export class ProjectPins {
  private readonly folders = new Map<string, ProjectVersion | null>();

  constructor(private readonly override?: string) {}

  /** The version that applies to the file at `path`. */
  forFile(path: string): VersionChoice {
    if (this.override) return { version: this.override, source: '--natten-version' };
    let dir = dirname(resolve(path));
    for (let hops = 0; hops < 32; hops++) {
      const pin = this.pinIn(dir);
      if (pin) return { version: pin.version, source: `${join(basename(dir), pin.source)}` };
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return { version: NEWEST_VERSION, source: 'default (newest)' };
  }

  private pinIn(dir: string): ProjectVersion | undefined {
    const cached = this.folders.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    const files = new Map<string, string>();
    try {
      for (const name of readdirSync(dir)) {
        if (!PROJECT_FILES.test(name)) continue;
        const read = readBoundedFile(join(dir, name), 1024 * 1024, 'a project file');
        if ('text' in read) files.set(name, read.text);
      }
    } catch {
      // an unreadable folder pins nothing
    }
    const pin = pinInFolder(files);
    this.folders.set(dir, pin ?? null);
    return pin;
  }
}
