// One problem of a `gna sim --config FILE` (a list of them, or `{ "problems": [...] }`), with the
// same fields as the flags: the core's problem as written (every field optional here, so that
// a missing one is reported in NATTEN's words by the checks), and what the flags add.

import { z } from 'zod';
import { GpuFamilySchema, ProblemInputSchema, TilingSchema } from '../core/schema';

export const SimRequestSchema = ProblemInputSchema.partial()
  .extend({
    label: z.string().optional(),
    heads: z.number().optional(),
    dim: z.number().optional(),
    batch: z.number().optional(),
    qTile: z.array(z.number()).min(1).max(3).optional(),
    kvTile: z.array(z.number()).min(1).max(3).optional(),
    arch: GpuFamilySchema.optional(),
    tiling: TilingSchema.optional(),
    recommend: z.boolean().optional(),
    search: z.boolean().optional(),
    attentionShare: z.number().optional(),
    backward: z.boolean().optional(),
    backwardQTile: z.array(z.number()).min(1).max(3).optional(),
    backwardKvTile: z.array(z.number()).min(1).max(3).optional(),
    pass: z.enum(['forward', 'training']).optional(),
  })
  .strict();
export type SimRequest = z.infer<typeof SimRequestSchema>;
