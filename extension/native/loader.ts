// Finds and loads the compiled addon on first need. A failure is remembered and reported with
// every path that was tried and what to do; nothing here throws at import time, so the
// extension activates and works without the addon (everything except GPU benchmarks).

import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { GnaNativeError } from './errors';
import { noAddonAdvice, packageTarget } from './packageTarget';
import type { NativeAddon } from './native';

/** The ABI this wrapper was written against (addon.cc exports the same number). */
export const ABI_VERSION = 8;

const ADDON_FILE = 'gna_native.node';
const BUILD_PATH = join('native', 'build', 'Release', ADDON_FILE);

/**
 * This package's root, seen from the loader's folder: the bundle runs from `<root>/dist`, the
 * compiled tests from `<root>/out/extension/native`. A folder counts only if its package.json is
 * this package's, so an addon planted in some folder above an installed extension is never loaded.
 */
const ROOTS_FROM_LOADER = [['..'], ['..', '..', '..']];

function isThisPackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'gna-studio';
  } catch {
    return false;
  }
}

/**
 * Where the addon may be: $GNA_NATIVE_ADDON, then `native/build/Release` of this package's own
 * root, then beside this file (a carried bundle). No other folder is searched.
 */
export function addonCandidates(fromDir: string = __dirname, env: NodeJS.ProcessEnv = process.env, isPackageRoot: (dir: string) => boolean = isThisPackage): string[] {
  const paths: string[] = [];
  if (env.GNA_NATIVE_ADDON) paths.push(resolve(env.GNA_NATIVE_ADDON));
  for (const up of ROOTS_FROM_LOADER) {
    const root = resolve(fromDir, ...up);
    if (isPackageRoot(root)) paths.push(join(root, BUILD_PATH));
  }
  paths.push(join(resolve(fromDir), ADDON_FILE));
  return [...new Set(paths)];
}

const HOW_TO_BUILD = noAddonAdvice(undefined);

/** Loads the first candidate that exists; throws GnaNativeError with every path tried. */
export function loadAddon(candidates: readonly string[]): { addon: NativeAddon; path: string } {
  const tried: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      tried.push(`${path} (not found)`);
      continue;
    }
    let addon: NativeAddon;
    try {
      // A runtime path: bundlers leave this require alone.
      addon = require(path) as NativeAddon;
    } catch (e) {
      throw new GnaNativeError(
        'GNA_ERR_LOAD',
        `The GNA native addon at ${path} could not be loaded: ${e instanceof Error ? e.message : String(e)}\n` +
          `Rebuild it for this machine. ${HOW_TO_BUILD}`,
        [],
        { cause: e },
      );
    }
    if (addon.abiVersion !== ABI_VERSION) {
      throw new GnaNativeError(
        'GNA_ERR_LOAD',
        `The GNA native addon at ${path} is a stale build (ABI ${String(addon.abiVersion)}, expected ${ABI_VERSION}). ${HOW_TO_BUILD}`,
      );
    }
    return { addon, path };
  }
  throw new GnaNativeError('GNA_ERR_NOT_BUILT', `The GNA native addon is not built. Looked for:\n  ${tried.join('\n  ')}\n${noAddonAdvice(packageTarget())}`);
}

/** Loads once, on the first `get()`; remembers the addon or the error. */
export class AddonLoader {
  private result?: { addon: NativeAddon; path: string } | { error: GnaNativeError };

  constructor(private readonly candidates: () => readonly string[] = () => addonCandidates()) {}

  get(): NativeAddon {
    const r = this.load();
    if ('error' in r) throw r.error;
    return r.addon;
  }

  /** What the loader found, without throwing. */
  status(): { loaded: true; path: string; builtWithCuda: boolean } | { loaded: false; error: GnaNativeError } {
    const r = this.load();
    return 'error' in r ? { loaded: false, error: r.error } : { loaded: true, path: r.path, builtWithCuda: r.addon.builtWithCuda };
  }

  private load(): { addon: NativeAddon; path: string } | { error: GnaNativeError } {
    if (!this.result) {
      try {
        this.result = loadAddon(this.candidates());
      } catch (e) {
        this.result = { error: e instanceof GnaNativeError ? e : new GnaNativeError('GNA_ERR_LOAD', String(e)) };
      }
    }
    return this.result;
  }
}
