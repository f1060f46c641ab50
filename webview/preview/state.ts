// What the webview keeps across hide/show and reloads (VS Code's webview state): the free config,
// the chosen hardware, whether it follows the editor, and the selected query. Read back through
// zod like any message: a state written by an older version must not break the view.

import { z } from 'zod';
import type { Hardware, PreviewConfig } from '../model/config';
import type { Selection } from '../model/preview';
import { HardwareSchema, PreviewConfigSchema } from '../protocol/preview';

const PersistedSchema = z.object({
  freeConfig: PreviewConfigSchema,
  hardware: HardwareSchema.optional(),
  follow: z.boolean(),
  selection: z.object({ query: z.array(z.number().int()).min(1).max(3), slice: z.number().int() }).optional(),
});

export interface Persisted {
  readonly freeConfig: PreviewConfig;
  /** Set when the user picked a GPU family or head dim in the panel (it then wins over settings). */
  readonly hardware?: Hardware;
  readonly follow: boolean;
  readonly selection?: Selection;
}

export function readPersisted(value: unknown): Persisted | undefined {
  const parsed = PersistedSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
