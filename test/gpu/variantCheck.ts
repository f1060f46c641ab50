// Issue 18's kernel variants (the `variant` launch option, GNA_SM90_VARIANT in the GPU scripts):
// which Hopper builds have them, and whether a case that asked for one ran it. The GPU check fails a
// case that asked for a variant its build has and ran another kernel, so that a variant's check can
// never pass on the measured kernel by mistake.

/** Head dims whose Hopper build has variants (gna_sm90_attention.cuh: the split builds, 64-row items). */
export const HOPPER_VARIANT_HEAD_DIMS: readonly number[] = [32, 64];

/**
 * Why a case at `headDim` that asked for `variant` did not run it, given the name of the kernel that
 * ran ('' when it did, or when nothing was asked, or the build has no variants). A Hopper kernel runs
 * a variant only where its build has one; the portable kernels never do.
 */
export function variantMiss(kernel: string, headDim: number, variant: number): string {
  const named = /, variant (\d+)$/.exec(kernel);
  const ran = named ? Number(named[1]) : 0;
  const expected = variant > 0 && kernel.startsWith('sm90') && HOPPER_VARIANT_HEAD_DIMS.includes(headDim) ? variant : 0;
  return ran === expected ? '' : `variant ${expected} expected at d${headDim}, ${kernel || 'an unnamed kernel'} ran`;
}
