/**
 * The static lecture site (`npm run lectures`): each executed notebook exported to HTML by
 * nbconvert with its saved widget state, drawn offline as in the static-HTML recipe of
 * docs/widgets.md (@jupyter-widgets/html-manager's embed-amd.js, Debian's require.js and a small
 * part of Debian's MathJax, and the convlens AMD bundle, all copied next to the pages), and an
 * index page listing the lectures in order with their title, run time and thumbnail.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PYTHON, ROOT } from '../../test/support/notebook-run';

/** One lecture of the site: its notebook name (without .ipynb), title and measured run time. */
export interface Lecture {
  name: string;
  title: string;
  /** Wall time of the notebook's execution here, in seconds. */
  seconds: number;
}

const HTML_MANAGER_DIST = path.join(ROOT, 'node_modules/@jupyter-widgets/html-manager/dist');
const CONVLENS_AMD = path.join(ROOT, 'dist/embed/convlens.js');
const REQUIRE_JS = '/usr/share/javascript/requirejs/require.min.js';
const MATHJAX = '/usr/share/javascript/mathjax';
/** The parts of MathJax 2 that the `TeX-AMS_CHTML-full,Safe` configuration loads (1.5 MB of 54). */
const MATHJAX_PARTS = ['MathJax.js', 'config/TeX-AMS_CHTML-full.js', 'config/Safe.js', 'extensions', 'jax/input/TeX', 'jax/output/CommonHTML', 'jax/element', 'fonts/HTML-CSS/TeX/woff', 'localization/en'];

/** The title of a notebook: the text of its first markdown heading (its file name when it has none). */
export function notebookTitle(notebook: string): string {
  const cells: any[] = JSON.parse(fs.readFileSync(notebook, 'utf8')).cells;
  for (const c of cells.filter((x) => x.cell_type === 'markdown')) {
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec([].concat(c.source).join(''));
    if (m) return m[1];
  }
  return path.basename(notebook, '.ipynb');
}

/** Copy what the pages load (widget manager, require.js, MathJax, the convlens bundle) into `out`. */
export function copyAssets(out: string): void {
  if (!fs.existsSync(CONVLENS_AMD)) throw new Error(`${CONVLENS_AMD} is missing: run \`npm run build:widgets\``);
  // embed-amd.js (not the 14 MB of other bundles and source maps), and the icon fonts its CSS
  // names, where its modules look for them: next to their require.js module URLs.
  fs.copyFileSync(path.join(HTML_MANAGER_DIST, 'embed-amd.js'), path.join(out, 'embed-amd.js'));
  for (const dir of ['@jupyter-widgets', '@jupyter-widgets/html-manager/dist']) {
    fs.mkdirSync(path.join(out, dir), { recursive: true });
    for (const f of fs.readdirSync(HTML_MANAGER_DIST).filter((x) => /\.(woff2?|ttf|eot)$/.test(x))) fs.copyFileSync(path.join(HTML_MANAGER_DIST, f), path.join(out, dir, f));
  }
  fs.copyFileSync(REQUIRE_JS, path.join(out, 'require.min.js'));
  fs.copyFileSync(CONVLENS_AMD, path.join(out, 'convlens.js'));
  for (const part of MATHJAX_PARTS) {
    const from = path.join(MATHJAX, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(out, 'mathjax', part), { recursive: true, dereference: true });
  }
}

/** Export the executed notebook `<out>/<name>.ipynb` to `<out>/<name>.html`, loading everything from the site's folder. */
export function exportHtml(out: string, name: string): void {
  const run = spawnSync(
    PYTHON,
    ['-m', 'nbconvert', '--to', 'html',
      '--HTMLExporter.widget_renderer_url=embed-amd.js',
      '--HTMLExporter.require_js_url=require.min.js',
      '--HTMLExporter.mathjax_url=mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe',
      '--output-dir', out, '--output', name, path.join(out, `${name}.ipynb`)],
    { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) throw new Error(`nbconvert --to html of ${name}.ipynb failed (exit ${run.status}):\n${run.stdout}${run.stderr}${run.error ?? ''}`);
  const page = path.join(out, `${name}.html`);
  const notebook = JSON.parse(fs.readFileSync(path.join(out, `${name}.ipynb`), 'utf8')) as { metadata?: { widgets?: Record<string, unknown> } };
  const state = notebook.metadata?.widgets?.[WIDGET_STATE];
  if (state) fs.writeFileSync(page, withWidgetState(fs.readFileSync(page, 'utf8'), state));
}

const WIDGET_STATE = 'application/vnd.jupyter.widget-state+json';

/**
 * `html` with its widget-state `<script>` holding `state` as plain JSON. Debian's nbconvert 6.5
 * HTML-escapes the JSON it writes there (`<b>` becomes `&lt;b&gt;`), which a script element does
 * not decode, so every HTML widget showed its markup as text; nbconvert 7 escapes only what could
 * end the script (`</`, `<!--`), as this does.
 */
export function withWidgetState(html: string, state: unknown): string {
  const json = JSON.stringify(state).replace(/<\//g, '<\\/').replace(/<!--/g, '\\u003c!--');
  const tag = new RegExp(`(<script type="${WIDGET_STATE.replace(/[.+]/g, '\\$&')}">)[\\s\\S]*?(</script>)`);
  if (!tag.test(html)) throw new Error('the exported page has no widget-state script to rewrite');
  return html.replace(tag, (_, open: string, close: string) => `${open}\n${json}\n${close}`);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Run time as a teacher reads it: `42 s`, `3 min 5 s`. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Write `<out>/index.html`: every lecture in order, with its thumbnail (thumbs/<name>.png when
 * there is one), title and run time; `short` says the notebooks ran shortened (CONVLENS_CI=1).
 */
export function writeIndex(out: string, lectures: Lecture[], short = false): void {
  const cards = lectures.map((l) => {
    const thumb = fs.existsSync(path.join(out, 'thumbs', `${l.name}.png`)) ? `<img src="thumbs/${l.name}.png" alt="${escapeHtml(l.title)}">` : '';
    return `<li><a href="${l.name}.html">${thumb}<span class="title">${escapeHtml(l.title)}</span></a>
  <span class="meta">${formatSeconds(l.seconds)} to run here · <a href="${l.name}.ipynb" download>notebook</a></span></li>`;
  });
  const total = lectures.reduce((sum, l) => sum + l.seconds, 0);
  fs.writeFileSync(path.join(out, 'index.html'), `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>convlens lectures</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
ol { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 1.2em; }
li { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em; display: flex; flex-direction: column; gap: 0.4em; }
li img { width: 100%; height: 170px; object-fit: contain; background: #fafafa; display: block; }
li > a { color: inherit; text-decoration: none; display: flex; flex-direction: column; gap: 0.4em; }
.title { font-weight: 600; }
.meta { color: #666; font-size: 0.9em; }
</style>
</head>
<body>
<h1>convlens lectures</h1>
<p>${lectures.length} notebook${lectures.length === 1 ? '' : 's'}, executed on the convlens kernel and saved with their widgets (${formatSeconds(total)} in all${short ? '; shortened with CONVLENS_CI=1: fewer steps and images than in class' : ''}).
The pages show the saved results; sliders that recompute need the running notebook.</p>
<ol>
${cards.join('\n')}
</ol>
</body>
</html>
`);
}
