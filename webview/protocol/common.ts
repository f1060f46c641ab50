// What every host ⇄ page protocol shares: the id that pairs a request with its answer, and
// validation that answers with a one-line reason instead of throwing. Pure: no DOM, no `vscode`.

import { z } from 'zod';

/**
 * Set by the page on each request; the host's answer carries it back, and the page drops answers
 * to any request but its latest (an older click's answer must not overwrite a newer one's).
 */
export const RequestIdSchema = z.number().int().nonnegative().max(2 ** 31 - 1);

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

/** Validates a message, with a one-line reason when it does not fit the protocol. */
export function parseWith<T>(schema: z.ZodType<T>, data: unknown): Parsed<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return { ok: false, error: `${first?.message ?? 'invalid message'}${where}` };
}
