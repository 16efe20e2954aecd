/**
 * The per-notebook tests reuse an execution that `npm run lectures` saved (CONVLENS_LECTURES_DIR)
 * only while it is valid: newer than the notebook and kernel-lib/, and made with the same
 * CONVLENS_CI when the notebook reads it. No kernel: the saved files are written here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, savedLectureExecution } from '../support/notebook-run';

const notebooks = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
const readsCi = (f: string) => fs.readFileSync(path.join(ROOT, 'notebooks', f), 'utf8').includes('CONVLENS_CI');
const withCi = notebooks.find(readsCi)!;
let dir: string;
const saved = { CONVLENS_LECTURES_DIR: process.env.CONVLENS_LECTURES_DIR, CONVLENS_CI: process.env.CONVLENS_CI };

/** Write a saved execution of `name` made with `ci`, modified `ageS` seconds from now (negative: in the future). */
function save(name: string, ci: string, ageS: number): void {
  const file = path.join(dir, name);
  const nb = { cells: [{ cell_type: 'code', source: [], outputs: [{ output_type: 'stream', name: 'stdout', text: ['saved run\n'] }] }], metadata: { convlens_lectures: { seconds: 1, CONVLENS_CI: ci } } };
  fs.writeFileSync(file, JSON.stringify(nb));
  const t = Date.now() / 1000 - ageS;
  fs.utimesSync(file, t, t);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-saved-'));
  process.env.CONVLENS_LECTURES_DIR = dir;
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test('a fresh saved execution is used, with its outputs', () => {
  process.env.CONVLENS_CI = '1';
  save(withCi, '1', -60);
  expect(savedLectureExecution(withCi)?.text).toBe('saved run\n');
});

test('a saved execution older than the notebook or kernel-lib/ is not used', () => {
  process.env.CONVLENS_CI = '1';
  save(withCi, '1', 10 * 365 * 86400);
  expect(savedLectureExecution(withCi)).toBeUndefined();
});

test('a notebook that reads CONVLENS_CI is not reused across CONVLENS_CI settings; one that does not is', () => {
  process.env.CONVLENS_CI = '';
  save(withCi, '1', -60);
  expect(savedLectureExecution(withCi)).toBeUndefined();
  const without = notebooks.find((f) => !readsCi(f));
  if (without) {
    save(without, '1', -60);
    expect(savedLectureExecution(without)?.text).toBe('saved run\n');
  }
});

test('nothing is reused without CONVLENS_LECTURES_DIR, or for a notebook not saved', () => {
  expect(savedLectureExecution('no-such-notebook.ipynb')).toBeUndefined();
  delete process.env.CONVLENS_LECTURES_DIR;
  expect(savedLectureExecution(withCi)).toBeUndefined();
  process.env.CONVLENS_LECTURES_DIR = dir;
});
