// Imported first by extension.ts, so the bundler evaluates it before every other module: the time
// from here to the start of activate() is what loading the extension's own code cost.
export const loadStartedAt = performance.now();
