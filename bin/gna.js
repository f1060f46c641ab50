#!/usr/bin/env node
// The `gna` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
'use strict';
const path = require('path');
const fs = require('fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`gna: ${bundle} is missing; run 'npm run build' in ${path.dirname(__dirname)} first.\n`);
  process.exit(2);
}
require(bundle).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`gna: ${e && e.message ? e.message : String(e)}\n`); process.exitCode = 70; },
);
