// One native/emu driver per describe block: built before its tests into a temporary folder (the
// driver's input and output files go there too), removed after them.

import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildEmuDriver } from '../../gpu/backward-emulate';

export interface EmuDriver {
  /** The folder of the driver and its files (set once the block's `before` has run). */
  readonly dir: string;
  /** The driver's executable. */
  readonly bin: string;
}

/** Registers the enclosing describe block's before/after hooks for `driver`; read the fields in tests. */
export function emuDriver(driver: Parameters<typeof buildEmuDriver>[1]): EmuDriver {
  const state = { dir: '', bin: '' };
  before(() => {
    state.dir = mkdtempSync(join(tmpdir(), `gna-${driver}-test-`));
    state.bin = buildEmuDriver(state.dir, driver);
  });
  after(() => rmSync(state.dir, { recursive: true, force: true }));
  return state;
}
