// zod schemas of the external forms of a GNA config: JSON files, webview messages, the CLI's
// --config files, the addon wrapper's arguments. They check shape only (numbers, booleans,
// tuples); the NATTEN rules themselves live in validate.ts so every surface words them alike.

import { z } from 'zod';
import { GPU_FAMILIES } from './presets';

/** An integer-valued field: a scalar (broadcast to every axis) or a tuple of 1 to 3 entries. */
export const IntTupleSchema = z.union([z.number(), z.array(z.number()).min(1).max(3)]);
export const BoolTupleSchema = z.union([z.boolean(), z.array(z.boolean()).min(1).max(3)]);

export const ProblemInputSchema = z.object({
  inputSize: z.array(z.number()).min(1).max(3).describe('token layout, e.g. [30, 48, 80]'),
  windowSize: IntTupleSchema.describe('kernel_size'),
  stride: IntTupleSchema.optional(),
  dilation: IntTupleSchema.optional(),
  causal: BoolTupleSchema.optional(),
});
export type ProblemInput = z.infer<typeof ProblemInputSchema>;

export const TileShapeSchema = z.object({
  q: z.array(z.number().int().positive()).min(1).max(3),
  kv: z.array(z.number().int().positive()).min(1).max(3),
});

export const WorkloadSchema = z.object({
  batch: z.number().int().positive(),
  heads: z.number().int().positive(),
  headDim: z.number().int().positive(),
});

export const GpuFamilySchema = z.enum(GPU_FAMILIES);
export const TilingSchema = z.enum(['multi', 'single']);
