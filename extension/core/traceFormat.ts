// The names and version of the trace formats, apart from their zod schemas (traceSchema.ts) so
// that the editor's activation bundle can merge and match traces without loading zod.
export const TRACE_FORMAT = 'gna-trace';
export const TRACE_PART_FORMAT = 'gna-trace-part';
export const TRACE_VERSION = 1;
