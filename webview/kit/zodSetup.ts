// zod compiles object schemas with `new Function` unless told not to, and decides when each schema
// is created; a page's CSP forbids eval (and reports even the caught probe). So this module must be
// the first import of each page's main.ts, before any schema exists.
import { config } from 'zod';

config({ jitless: true });
