#!/usr/bin/env node
// The `convlens` command: install/uninstall the Jupyter kernel, or run it. The TypeScript
// sources are compiled to dist/ by `npm run build:lib`.
const path = require('path');
let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'kernel-lib', 'install', 'cli.js'));
} catch (e) {
  console.error('convlens: the compiled library is missing; run `npm run build:lib` first.\n' + e.message);
  process.exit(1);
}
cli.main(process.argv.slice(2)).catch((e) => {
  console.error(`convlens: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
