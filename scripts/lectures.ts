/**
 * `npm run lectures`: execute every lecture notebook (notebooks/*.ipynb, in name order) on the
 * installed convlens kernel, save the executed notebooks with their widget state, and publish them
 * as a static site: one HTML page per notebook with offline widgets, an index with each lecture's
 * title, measured run time and thumbnail, and timings.json. Then every page is opened in headless
 * chromium (scripts/lectures/check.ts) to check that its widgets drew and to take the thumbnails.
 *
 *   npm run lectures                              # all notebooks into lectures-site/
 *   npm run lectures -- --only 00-widgets,03      # some (name, or its number)
 *   npm run lectures -- --out DIR                 # somewhere else
 *   npm run lectures -- --check                   # fail (exit 1) when a page does not render
 *   npm run lectures -- --gallery                 # also the README's lecture gallery (docs/gallery/lectures/)
 *
 * A notebook whose cell fails (or leaves an error output) is named with the cell; the others still
 * run, and the command exits 1. `--notebooks DIR` reads the notebooks from another folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuiltParts, installKernelIntoTempPrefix, ROOT, runNotebook } from '../test/support/notebook-run';
import { checkSite } from './lectures/check';
import { updateGallery } from './lectures/gallery';
import { copyAssets, exportHtml, formatSeconds, Lecture, notebookTitle, writeIndex } from './lectures/site';

/** Longest one cell may run (the longest lectures train for minutes on a CPU). */
const CELL_TIMEOUT_S = 1200;
const NOTEBOOK_TIMEOUT_S = 3600;

interface Options {
  out: string;
  notebooks: string;
  only: string[];
  check: boolean;
  gallery: boolean;
}

const USAGE = 'usage: npm run lectures -- [--out DIR] [--only NAME[,NAME]] [--check] [--gallery] [--notebooks DIR]';

function parseArgs(argv: string[]): Options {
  const options: Options = { out: path.join(ROOT, 'lectures-site'), notebooks: path.join(ROOT, 'notebooks'), only: [], check: false, gallery: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value. ${USAGE}`);
      return v;
    };
    if (flag === '--out') options.out = path.resolve(value());
    else if (flag === '--notebooks') options.notebooks = path.resolve(value());
    else if (flag === '--only') options.only.push(...value().split(',').map((s) => s.trim().replace(/\.ipynb$/, '')).filter(Boolean));
    else if (flag === '--check') options.check = true;
    else if (flag === '--gallery') options.gallery = true;
    else throw new Error(`unknown option "${argv[i]}". ${USAGE}`);
  }
  return options;
}

/** The notebooks to run, in name order: all of `dir`, or those `only` names (a full name or its number prefix). */
function selectNotebooks(dir: string, only: string[]): string[] {
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, '')).sort();
  if (all.length === 0) throw new Error(`no notebooks in ${dir}`);
  for (const want of only) {
    if (!all.some((n) => n === want || n.startsWith(`${want}-`))) throw new Error(`--only: no notebook "${want}" in ${path.relative(process.cwd(), dir) || '.'}; the notebooks are ${all.join(', ')}`);
  }
  return only.length === 0 ? all : all.filter((n) => only.some((w) => n === w || n.startsWith(`${w}-`)));
}

/** The lectures of timings.json from an earlier run whose page is still there (kept in the index of an `--only` run). */
function earlierLectures(out: string, notebooks: string): Lecture[] {
  const file = path.join(out, 'timings.json');
  if (!fs.existsSync(file)) return [];
  const earlier: Lecture[] = JSON.parse(fs.readFileSync(file, 'utf8')).lectures ?? [];
  return earlier.filter((l) => fs.existsSync(path.join(out, `${l.name}.html`)) && fs.existsSync(path.join(notebooks, `${l.name}.ipynb`)));
}

/** Print the timing table a teacher's page quotes. */
function printTimings(lectures: Lecture[]): void {
  const width = Math.max(...lectures.map((l) => l.name.length), 'notebook'.length);
  console.log(`\n${'notebook'.padEnd(width)}  seconds`);
  for (const l of lectures) console.log(`${l.name.padEnd(width)}  ${l.seconds.toFixed(1).padStart(7)}`);
  const total = lectures.reduce((s, l) => s + l.seconds, 0);
  console.log(`${'total'.padEnd(width)}  ${total.toFixed(1).padStart(7)}  (${formatSeconds(total)})\n`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.gallery && options.notebooks !== path.join(ROOT, 'notebooks')) throw new Error('--gallery shows the lectures of notebooks/ in the README; it cannot be used with --notebooks');
  const names = selectNotebooks(options.notebooks, options.only);
  const { out } = options;
  fs.mkdirSync(out, { recursive: true });
  ensureBuiltParts(['lib', 'widgets']);
  const prefix = installKernelIntoTempPrefix();
  const failures: string[] = [];
  const done: Lecture[] = [];
  try {
    for (const name of names) {
      const source = path.join(options.notebooks, `${name}.ipynb`);
      const executed = path.join(out, `${name}.ipynb`);
      console.log(`${name}: executing…`);
      try {
        const { nb, seconds } = runNotebook(prefix, source, executed, { cellTimeoutS: CELL_TIMEOUT_S, notebookTimeoutS: NOTEBOOK_TIMEOUT_S });
        // Which settings it ran with: the per-notebook tests reuse it only when theirs match.
        nb.metadata.convlens_lectures = { seconds: Number(seconds.toFixed(1)), CONVLENS_CI: process.env.CONVLENS_CI ?? '' };
        fs.writeFileSync(executed, JSON.stringify(nb, null, 1) + '\n');
        exportHtml(out, name);
        done.push({ name, title: notebookTitle(source), seconds: Number(seconds.toFixed(1)) });
        console.log(`${name}: ${seconds.toFixed(1)} s`);
      } catch (e) {
        for (const f of [executed, path.join(out, `${name}.html`)]) fs.rmSync(f, { force: true });
        failures.push((e as Error).message);
        console.error(`${name}: FAILED\n${(e as Error).message}\n`);
      }
    }
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
  copyAssets(out);
  const lectures = [...earlierLectures(out, options.notebooks).filter((l) => !names.includes(l.name)), ...done].sort((a, b) => a.name.localeCompare(b.name));
  fs.writeFileSync(path.join(out, 'timings.json'), JSON.stringify({ lectures, CONVLENS_CI: process.env.CONVLENS_CI ?? '' }, null, 2) + '\n');
  writeIndex(out, lectures, Boolean(process.env.CONVLENS_CI));
  printTimings(done);

  const t0 = Date.now();
  const reports = await checkSite(out, done.map((l) => l.name), () => writeIndex(out, lectures, Boolean(process.env.CONVLENS_CI)), (line) => console.log(line));
  console.log(`browser check: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const problems = reports.flatMap((r) => r.problems.map((p) => `${r.name}.html: ${p}`));
  if (options.gallery) {
    const shown = updateGallery(out, reports.filter((r) => r.thumbBytes).map((r) => r.name), options.notebooks);
    console.log(`docs/gallery/lectures/ and the README's lecture table: ${shown.length} lectures`);
  }
  console.log(`site: ${path.relative(process.cwd(), path.join(out, 'index.html'))} (${lectures.length} lectures)`);
  if (problems.length) console.error(`${options.check ? 'check failed' : 'warning'}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  if (failures.length) console.error(`${failures.length} notebook(s) failed:\n${failures.join('\n\n')}`);
  return failures.length > 0 || (options.check && problems.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
