// The version `gna --version` and SARIF output report: the package.json beside the bundle (dist/),
// the compiled CLI (out/extension/cli) or the source (extension/cli).
import { readFileSync } from 'fs';
import { join } from 'path';

export function toolVersion(): string {
  for (const p of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gna-studio' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}
