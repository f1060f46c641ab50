#!/usr/bin/env node
// hopper-tiles.js: rewrites native/src/gna_hopper_tiles.h from HOPPER_FNA (extension/core/presets.ts),
// through the compiled wrapper module (run `npm run compile-tests` first). `--check` only compares.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '../..');
const { hopperTilesHeader, HOPPER_TILES_HEADER_PATH } = require(path.join(root, 'out/extension/native/hopperTiles.js'));
const file = path.join(root, HOPPER_TILES_HEADER_PATH);
const want = hopperTilesHeader();
const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (have !== want) {
    console.error(`${HOPPER_TILES_HEADER_PATH} is stale: run node native/scripts/hopper-tiles.js`);
    process.exit(1);
  }
} else if (have !== want) {
  fs.writeFileSync(file, want);
  console.log(`wrote ${HOPPER_TILES_HEADER_PATH}`);
}
