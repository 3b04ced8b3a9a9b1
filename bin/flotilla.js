#!/usr/bin/env node
// The `flotilla` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('flotilla is not built yet: run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(cli).main(process.argv);
