/**
 * `npm run lectures` end to end on two small notebooks (test/fixtures/lectures): the real CLI
 * executes a notebook with a slider and a FilterGrid (cell tagged "gallery") on the installed
 * convlens kernel, writes the executed notebook with its widget state, the HTML page, the index,
 * timings.json and the thumbnail, and its browser check passes (chromium, localhost only). A
 * notebook whose cell throws fails the command with the notebook and cell named; a page whose
 * widget cannot render or that reaches beyond 127.0.0.1 fails the check. The real lectures
 * (notebooks/) are built and checked by `npm run lectures -- --check` in .ci/run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { checkSite, THUMB_MAX_BYTES } from '../../scripts/lectures/check';
import { withWidgetState } from '../../scripts/lectures/site';
import { pngVariance } from './support/chromium';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/lectures');
let out: string;

/** Run `npm run lectures -- ARGS` (scripts/lectures.ts through ts-node, as the npm script does). */
function lectures(args: string[]) {
  return spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/lectures.ts', ...args], {
    cwd: REPO, encoding: 'utf8', timeout: 400_000, env: { ...process.env, CONVLENS_QUIET: '1' },
  });
}

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-lectures-'));
});

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

test('an unknown --only name is refused with the notebooks listed', () => {
  const r = lectures(['--notebooks', FIXTURES, '--only', '07-nope', '--out', out]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('--only: no notebook "07-nope" in test/fixtures/lectures; the notebooks are 00-tiny, 01-broken');
});

test('builds and checks the site of a notebook with widgets', () => {
  const r = lectures(['--notebooks', FIXTURES, '--only', '00', '--out', out, '--check']);
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toMatch(/00-tiny\.html: 2\/2 widget views, 8 canvases drawn, 0 plots, thumbnail from gallery/);

  const nb = JSON.parse(fs.readFileSync(path.join(out, '00-tiny.ipynb'), 'utf8'));
  const models = Object.values<any>(nb.metadata.widgets['application/vnd.jupyter.widget-state+json'].state).map((m) => m.model_name);
  expect(models).toEqual(expect.arrayContaining(['IntSliderModel', 'FilterGridModel']));
  expect(nb.metadata.convlens_lectures.seconds).toBeGreaterThan(0);

  const { lectures: timings } = JSON.parse(fs.readFileSync(path.join(out, 'timings.json'), 'utf8'));
  expect(timings).toEqual([{ name: '00-tiny', title: 'Tiny lecture: two widgets', seconds: nb.metadata.convlens_lectures.seconds }]);
  const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  expect(index).toContain('<a href="00-tiny.html"><img src="thumbs/00-tiny.png" alt="Tiny lecture: two widgets">');
  const html = fs.readFileSync(path.join(out, '00-tiny.html'), 'utf8');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  for (const asset of ['embed-amd.js', 'require.min.js', 'convlens.js', 'mathjax/MathJax.js']) expect(fs.existsSync(path.join(out, asset))).toBe(true);

  const thumb = fs.readFileSync(path.join(out, 'thumbs/00-tiny.png'));
  expect(thumb.length).toBeLessThanOrEqual(THUMB_MAX_BYTES);
  expect(thumb[25]).toBe(3); // a palette PNG
  expect(PNG.sync.read(thumb).width).toBeGreaterThan(200); // the 8 tiles of 40 px, not the page-wide output area
  expect(pngVariance(thumb)).toBeGreaterThan(10);
}, 400_000);

test('the check fails on a page whose widget does not render and that reaches beyond 127.0.0.1', async () => {
  const html = fs.readFileSync(path.join(out, '00-tiny.html'), 'utf8');
  // Drop the FilterGrid's model from the saved state, and load an image from elsewhere.
  const bad = html
    .replace(/("model_name":\s*")FilterGridModel"/, '$1NoSuchModel"')
    .replace('</body>', '<img src="http://example.com/x.png"></body>');
  expect(bad).not.toBe(html);
  fs.writeFileSync(path.join(out, 'bad.html'), bad);
  const [page] = await checkSite(out, ['bad']);
  expect(page.problems).toEqual(expect.arrayContaining([
    '1 of 2 widget views did not render',
    "an empty widget area in cell 3 (the widget manager's error view)",
    'request beyond 127.0.0.1 (blocked): http://example.com/x.png',
    expect.stringMatching(/^page error: Class NoSuchModel not found in module convlens/),
  ]));
}, 200_000);

test('a failing cell fails the command, naming the notebook and the cell', () => {
  const r = lectures(['--notebooks', FIXTURES, '--only', '01-broken', '--out', out]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('test/fixtures/lectures/01-broken.ipynb, cell 3 of 3 ("const answer: number = 41;") failed:');
  expect(r.stderr).toContain('Error: boom: 42');
  expect(fs.existsSync(path.join(out, '01-broken.html'))).toBe(false);
}, 400_000);

test('the widget state goes into the page as JSON a script element reads (nbconvert 6.5 HTML-escaped it)', () => {
  const state = { version_major: 2, state: { a: { model_name: 'HTMLModel', state: { value: '<b>bold</b> & </script><!-- x' } } } };
  const escaped = '<p>before</p><script type="application/vnd.jupyter.widget-state+json">\n{&quot;state&quot;: &lt;b&gt;}\n</script><p>after</p>';
  const page = withWidgetState(escaped, state);
  const body = /<script type="application\/vnd\.jupyter\.widget-state\+json">([\s\S]*?)<\/script>/.exec(page)![1];
  expect(JSON.parse(body)).toEqual(state);
  expect(body).not.toMatch(/<\/|<!--|&lt;/);
  expect(page.startsWith('<p>before</p>') && page.endsWith('<p>after</p>')).toBe(true);
  expect(() => withWidgetState('<p>no state</p>', state)).toThrow(/no widget-state script/);
});

