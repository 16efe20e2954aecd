/**
 * `bin/build-if-stale.js` (what `npm start` runs before starting Jupyter): builds only what is
 * missing or older than its sources, and says so in one line.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUILD_LOCK, ensureBuiltParts, ROOT } from '../kernel/python-harness';

const SCRIPT = path.join(ROOT, 'bin', 'build-if-stale.js');
/** The script, under the tests' build lock (other test files may be building or reading dist/). */
const run = (...args: string[]) => spawnSync('flock', [BUILD_LOCK, process.execPath, SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });

test('a second run right after a build builds nothing and prints one line', () => {
  ensureBuiltParts(['lib']);
  const again = run('lib');
  expect(again.status).toBe(0);
  expect(again.stdout).toBe('convlens: build up to date\n');
  expect(again.stderr).toBe('');
});

test('a library source newer than the last build makes the library stale (--check: says so, builds nothing)', () => {
  ensureBuiltParts(['lib']);
  const stamp = path.join(ROOT, 'node_modules', '.cache', 'convlens-build', 'lib');
  const source = path.join(ROOT, 'kernel-lib', 'index.ts');
  const sourceAt = fs.statSync(source).mtime.getTime();
  // A build stamp older than the source (instead of touching the source): the check compares the two times.
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, 'test');
  fs.utimesSync(stamp, new Date(sourceAt - 60_000), new Date(sourceAt - 60_000));
  try {
    const r = run('--check', 'lib');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('convlens: would build lib (npm run build:lib)\n');
    expect(fs.statSync(stamp).mtime.getTime()).toBeLessThan(sourceAt);
  } finally {
    // Back to "built now": the library is up to date (ensureBuiltParts above said so).
    fs.utimesSync(stamp, new Date(), new Date());
  }
});

test('an unknown part is an error naming the parts', () => {
  const r = run('docs');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("unknown part 'docs'; choose from lib, widgets, labextension");
});
