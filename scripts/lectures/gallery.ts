/**
 * The lectures in the README's gallery (`npm run lectures -- --gallery`): the thumbnails the
 * browser pass took are copied to docs/gallery/lectures/<name>.png (those of notebooks that no
 * longer exist are removed), and the table between the README's `<!-- lectures -->` markers is
 * rewritten from them: one small screenshot per lecture, in order, each linking to its notebook.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../../test/support/notebook-run';
import { notebookTitle } from './site';

const GALLERY = path.join(ROOT, 'docs/gallery/lectures');
const README = path.join(ROOT, 'README.md');
const BEGIN = '<!-- lectures: written by `npm run lectures -- --gallery` -->';
const END = '<!-- /lectures -->';
/** Lectures per table row. */
const COLUMNS = 4;

/**
 * The README table of the lecture thumbnails in docs/gallery/lectures: per `COLUMNS` lectures, a
 * row of titles, then a row of images (alt text: the lecture's number; the README has 12 KB).
 */
export function lectureTable(names: string[], notebooks: string): string {
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += COLUMNS) {
    const group = names.slice(i, i + COLUMNS);
    const pad = (cells: string[]) => `| ${[...cells, ...Array<string>(COLUMNS - cells.length).fill(' ')].join(' | ')} |`;
    rows.push(pad(group.map((n) => notebookTitle(path.join(notebooks, `${n}.ipynb`)).replace(/\|/g, '\\|'))));
    if (i === 0) rows.push(`|${' --- |'.repeat(COLUMNS)}`);
    rows.push(pad(group.map((n) => `[![${n.split('-')[0]}](docs/gallery/lectures/${n}.png)](notebooks/${n}.ipynb)`)));
  }
  return rows.join('\n');
}

/**
 * Copy `<site>/thumbs/<name>.png` of each of `names` into docs/gallery/lectures, remove the
 * thumbnails of notebooks not in `notebooks` any more, and rewrite the README's lecture table.
 * Returns the names the table shows.
 */
export function updateGallery(site: string, names: string[], notebooks: string): string[] {
  fs.mkdirSync(GALLERY, { recursive: true });
  for (const name of names) fs.copyFileSync(path.join(site, 'thumbs', `${name}.png`), path.join(GALLERY, `${name}.png`));
  const shown: string[] = [];
  for (const file of fs.readdirSync(GALLERY).filter((f) => f.endsWith('.png')).sort()) {
    const name = file.replace(/\.png$/, '');
    if (fs.existsSync(path.join(notebooks, `${name}.ipynb`))) shown.push(name);
    else fs.rmSync(path.join(GALLERY, file));
  }
  const readme = fs.readFileSync(README, 'utf8');
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} … ${END} block to write the lecture table into`);
  fs.writeFileSync(README, `${readme.slice(0, from + BEGIN.length)}\n${lectureTable(shown, notebooks)}\n${readme.slice(to)}`);
  return shown;
}
