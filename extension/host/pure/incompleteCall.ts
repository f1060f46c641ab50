// The title of the lens over a call with no complete, valid config (it opens the preview, which
// asks for what is missing): what is missing, in a few words. Pure, tested in plain Node.

import type { Parameter } from '../../core/validate';

/**
 * `Preview mask (kernel_size unknown)`, `(kernel_size, input_size unknown)`, `(invalid config)`
 * when every value is known, `(3 configs: dilation unknown)`; one list of missing values per
 * config of the call (one per dict entry).
 */
export function incompleteLensTitle(missingPerConfig: readonly (readonly Parameter[])[]): string {
  const missing = [...new Set(missingPerConfig.flat())];
  const what = missing.length > 0 ? `${missing.join(', ')} unknown` : 'invalid config';
  return `Preview mask (${missingPerConfig.length > 1 ? `${missingPerConfig.length} configs: ${what}` : what})`;
}
