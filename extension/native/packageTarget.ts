// Which package these bundles came in (`npm run package` writes dist/package-target.json), so a
// missing addon is explained for what the user installed: the universal VSIX has no GPU build at
// all; a source checkout or the npm package builds one with `npm install`.
import { readFileSync } from 'fs';
import { join } from 'path';

/** `universal`, `linux-x64`, … for a packaged extension; undefined for a checkout or the npm package. */
export function packageTarget(bundleDir: string = __dirname): string | undefined {
  try {
    const target = (JSON.parse(readFileSync(join(bundleDir, 'package-target.json'), 'utf8')) as { target?: unknown }).target;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** What to do without an addon, in one line. */
export function noAddonAdvice(target: string | undefined, platform = `${process.platform}-${process.arch}`): string {
  if (target === 'universal') {
    return (
      `This GNA Studio package has no GPU build for this platform (${platform}): it is the universal package, without native code. ` +
      'To benchmark on an NVIDIA GPU, install the linux-x64 package (gna-studio-<version>-linux-x64.vsix) on Linux x64, ' +
      'or build GNA Studio from source with the CUDA toolkit (npm install; see native/README.md). Everything else works without it.'
    );
  }
  if (target !== undefined) {
    return `The ${target} package of GNA Studio should carry the GPU build but it is missing: reinstall the extension. Everything except GPU benchmarks works without it.`;
  }
  return (
    'Build it with `npm install` (or `node native/scripts/build.js`) in the GNA Studio folder; ' +
    'without nvcc the build is CPU-only. Everything except GPU benchmarks works without the addon.'
  );
}
