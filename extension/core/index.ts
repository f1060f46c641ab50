// The pure domain core: GNA problems, window and mask math, the simulator, tile presets and the
// stride recommendation. No `vscode`, no Node, no DOM (tsconfig.core.json enforces it).
export * from './problem';
export * from './validate';
export * from './window';
export * from './mask';
export * from './tiling';
export * from './axisScan';
export * from './budget';
export * from './single';
export * from './simulator';
export * from './backward';
export * from './backwardPresets';
export * from './presets';
export * from './recommend';
export * from './recommendTraining';
export * from './format';
export * from './schema';
export * from './measured';
