/**
 * The lecture notebooks cover the course: each of the 16 techniques of docs/course-techniques.md
 * is called (by one of its functions or widgets) in a code cell of the notebook(s) the table names,
 * and every notebook ends with an "Exercises" cell whose solutions are in notebooks/solutions/.
 * The notebooks are numbered 00, 01, ... in lecture order; each opens with a markdown cell (its
 * number and title, then what the student will see and why) and tags exactly one code cell
 * `gallery`: the figure `npm run lectures` shows for it on the index page and in the README.
 * Reads the notebooks' JSON only; no kernel.
 */
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.join(__dirname, '../..');
const NOTEBOOKS = path.join(REPO, 'notebooks');
const TECHNIQUES = path.join(REPO, 'docs/course-techniques.md');

/** Technique number -> [title words in techniques.md, functions/widgets that draw its figure, notebooks that draw it]. */
const COVERAGE: Record<number, { title: string; calls: string[]; notebooks: string[] }> = {
  1: { title: 'First-layer filters', calls: ['filterGrid'], notebooks: ['01-filters-and-activations', '10-training-evolution'] },
  2: { title: 'Maximally activating patches', calls: ['maxActivatingPatches', 'unitExplorer'], notebooks: ['02-max-patches-and-neighbours'] },
  3: { title: 'Nearest neighbours', calls: ['nearestNeighbors', 'neighborsView'], notebooks: ['02-max-patches-and-neighbours', '03-feature-space'] },
  4: { title: 'Dimensionality reduction', calls: ['pca', 'tsne', 'tsneScatter'], notebooks: ['03-feature-space'] },
  5: { title: 'Occlusion', calls: ['occlusion', 'occlusionExplorer'], notebooks: ['04-which-pixels-matter'] },
  6: { title: 'Saliency', calls: ['saliency', 'saliencySegmentation'], notebooks: ['04-which-pixels-matter'] },
  7: { title: 'Guided backpropagation', calls: ['guidedBackprop'], notebooks: ['04-which-pixels-matter'] },
  8: { title: 'Deconvnet', calls: ['deconvnet'], notebooks: ['04-which-pixels-matter'] },
  9: { title: 'CAM', calls: ['cam', 'gradCam'], notebooks: ['04-which-pixels-matter'] },
  10: { title: 'Class model visualization', calls: ['classModel', 'regularizationLab'], notebooks: ['05-class-models-and-regularization'] },
  11: { title: 'DeepDream', calls: ['deepDream'], notebooks: ['06-deepdream'] },
  12: { title: 'Feature inversion', calls: ['invertFeatures'], notebooks: ['07-inversion-and-style'] },
  13: { title: 'Texture synthesis and style transfer', calls: ['synthesizeTexture', 'styleTransfer'], notebooks: ['07-inversion-and-style'] },
  14: { title: 'Adversarial / fooling images', calls: ['adversarial', 'foolingImages'], notebooks: ['08-adversarial'] },
  15: { title: 'Network dissection', calls: ['dissect', 'dissectionHistogram'], notebooks: ['09-dissection'] },
  16: { title: 'Training-time diagnostics', calls: ['trainingSnapshots', 'epochSlider'], notebooks: ['10-training-evolution'] },
};

interface Cell { cell_type: string; source: string[] | string; metadata?: { tags?: string[] } }

function cells(name: string): Cell[] {
  return JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, `${name}.ipynb`), 'utf8')).cells as Cell[];
}
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
/** Whether `code` calls `fn` (as `lens.fn(`, `ns.fn(` or `fn(`), outside line comments. */
const calls = (code: string, fn: string) => new RegExp(`(^|[^\\w])${fn}\\s*\\(`, 'm').test(code.replace(/\/\/.*$/gm, ''));

const notebookNames = fs.readdirSync(NOTEBOOKS).filter((n) => n.endsWith('.ipynb')).map((n) => n.replace(/\.ipynb$/, '')).sort();

test('the table lists the 16 techniques of the course (docs/course-techniques.md), in order', () => {
  const md = fs.readFileSync(TECHNIQUES, 'utf8');
  const items = [...md.matchAll(/^(\d+)\.\s+(.*)$/gm)].map((m) => [Number(m[1]), m[2]] as const);
  expect(items.map(([n]) => n)).toEqual(Object.keys(COVERAGE).map(Number));
  for (const [n, line] of items) expect(line.replace(/\*\*/g, '')).toContain(COVERAGE[n].title);
});

test.each(Object.entries(COVERAGE))('technique %s is drawn by a code cell of each notebook the table names', (_n, t) => {
  for (const nb of t.notebooks) {
    expect(notebookNames).toContain(nb);
    const drawing = cells(nb).filter((c) => c.cell_type === 'code' && t.calls.some((fn) => calls(text(c), fn)));
    if (drawing.length === 0) throw new Error(`${nb}.ipynb has no code cell calling ${t.calls.join(' / ')} (technique "${t.title}")`);
  }
});

test('the call check is not vacuous: it tells a call from a mention', () => {
  expect(calls('const g = await lens.gradCam(model, x);', 'gradCam')).toBe(true);
  expect(calls('const g = await lens.gradCam(model, x);', 'cam')).toBe(false);
  expect(calls('// lens.deepDream(model)', 'deepDream')).toBe(false);
  expect(calls('const p = await fs.pca(feats, 50);', 'pca')).toBe(true);
});

test.each(notebookNames)('%s ends with two or three exercises, with solutions for the teacher', (nb) => {
  const last = cells(nb).at(-1)!;
  expect(last.cell_type).toBe('markdown');
  const md = text(last);
  expect(md).toMatch(/^## Exercises\n/);
  const exercises = md.match(/^\d+\.\s/gm) ?? [];
  expect(exercises.length).toBeGreaterThanOrEqual(2);
  expect(exercises.length).toBeLessThanOrEqual(3);
  const solutions = path.join(NOTEBOOKS, 'solutions', `${nb}.md`);
  expect(fs.existsSync(solutions)).toBe(true);
  const answered = fs.readFileSync(solutions, 'utf8').match(/^\d+\.\s/gm) ?? [];
  expect(answered.length).toBe(exercises.length);
});

test('the notebooks are numbered 00, 01, ... without gaps (the lecture order)', () => {
  expect(notebookNames.map((n) => n.slice(0, 3))).toEqual(notebookNames.map((_, i) => `${String(i).padStart(2, '0')}-`));
});

test.each(notebookNames)('%s opens with its number and title, then says what the student will see', (nb) => {
  const first = cells(nb)[0];
  expect(first.cell_type).toBe('markdown');
  const md = text(first);
  expect(md).toMatch(new RegExp(`^# ${nb.slice(0, 2)} · \\S`));
  expect(md.replace(/^#.*$/m, '').trim().length).toBeGreaterThan(200);
});

test.each(notebookNames)('%s tags exactly one code cell "gallery"', (nb) => {
  const tagged = cells(nb).filter((c) => (c.metadata?.tags ?? []).includes('gallery'));
  expect(tagged.map((c) => c.cell_type)).toEqual(['code']);
});
