#!/usr/bin/env node
'use strict';
// The compiled command line; `npm run build` produces dist/.
require('../dist/collector/cli/main.js').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 2; },
);
