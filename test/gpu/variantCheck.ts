// Kernel variants (the `variant` launch option, GNA_SM90_VARIANT in the GPU scripts): which Hopper
// builds (issue 18) and FA2 builds (issue 23) have them, and whether a case that asked for one ran
// it. The GPU check fails a case that asked for a variant its build has and ran another kernel, so
// that a variant's check can never pass on the measured kernel by mistake.

/** Head dims whose Hopper build has variants (gna_sm90_attention.cuh: the split builds, 64-row items). */
export const HOPPER_VARIANT_HEAD_DIMS: readonly number[] = [32, 64];

/** Head dims whose FA2 build has variant 1 (gna_fa2.cuh kVariantWideStep: 64-key steps at d128). It
 * runs only where the device's opt-in shared memory holds it (sm_80, sm_90: the GPUs the check runs
 * on); on sm_86/sm_89 the default build runs and a check that asked for variant 1 names the miss. */
export const FA2_VARIANT_HEAD_DIMS: readonly number[] = [128];

/**
 * Why a case at `headDim` that asked for `variant` did not run it, given the name of the kernel that
 * ran ('' when it did, or when nothing was asked, or the build has no variants). A Hopper or FA2
 * kernel runs a variant only where its build has one; the first portable kernel never does.
 */
export function variantMiss(kernel: string, headDim: number, variant: number): string {
  const named = /, variant (\d+)$/.exec(kernel);
  const ran = named ? Number(named[1]) : 0;
  const hopper = kernel.startsWith('sm90') && HOPPER_VARIANT_HEAD_DIMS.includes(headDim);
  const fa2 = kernel.startsWith('portable-fa2') && FA2_VARIANT_HEAD_DIMS.includes(headDim) && variant === 1;
  const expected = variant > 0 && (hopper || fa2) ? variant : 0;
  return ran === expected ? '' : `variant ${expected} expected at d${headDim}, ${kernel || 'an unnamed kernel'} ran`;
}
