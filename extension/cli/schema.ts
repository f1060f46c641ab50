// One problem of a `gna sim --config FILE` (a list of them, or `{ "problems": [...] }`), with the
// same fields as the flags.

import { z } from 'zod';
import { BoolTupleSchema, GpuFamilySchema, IntTupleSchema, TilingSchema } from '../core/schema';

export const SimRequestSchema = z
  .object({
    label: z.string().optional(),
    inputSize: z.array(z.number()).min(1).max(3).optional(),
    windowSize: IntTupleSchema.optional(),
    stride: IntTupleSchema.optional(),
    dilation: IntTupleSchema.optional(),
    causal: BoolTupleSchema.optional(),
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
  })
  .strict();
export type SimRequest = z.infer<typeof SimRequestSchema>;
