#!/usr/bin/env node
// `npm start`: open the lecture notebooks in the Jupyter found on PATH, with the convlens kernel
// and widget extension installed. `npm start -- --check` prints the plan and starts nothing.
const path = require('path');
let start;
try {
  start = require(path.join(__dirname, '..', 'dist', 'kernel-lib', 'start', 'open-notebooks.js'));
} catch (e) {
  console.error('convlens: the compiled library is missing; run `npm run build` first.\n' + e.message);
  process.exit(1);
}
start.startNotebooks(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`convlens: ${e && e.message ? e.message : e}`);
    process.exit(1);
  },
);
