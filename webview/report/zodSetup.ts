// zod compiles object schemas with `new Function` unless told not to; the page's CSP forbids
// eval. This must be main.ts's first import, before any schema is created.
import { config } from 'zod';

config({ jitless: true });
