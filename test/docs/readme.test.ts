/**
 * The README stays a five-minute read and the documentation stays inside the repository: the
 * README is at most 12 KB; every link of README.md and docs/*.md (markdown links and images, HTML
 * href/src, bare URLs) points to a file of the repository that exists and is not git-ignored, and
 * to a heading that exists when it names one; the gallery images are small PNGs, all shown; the
 * technique table names only functions the package root exports.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.join(__dirname, '../..');
const README = path.join(REPO, 'README.md');
const GALLERY = path.join(REPO, 'docs/gallery');
const README_MAX_BYTES = 12 * 1024;
const IMAGE_MAX_BYTES = 60_000;
const GALLERY_MAX_BYTES = 600_000;

/** The markdown files checked: README.md and docs/ (without the generated API reference). */
function markdownFiles(): string[] {
  const docs = path.join(REPO, 'docs');
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return p === path.join(docs, 'api') ? [] : walk(p);
      return e.name.endsWith('.md') ? [p] : [];
    });
  return [README, ...walk(docs)];
}

/** Markdown without fenced code blocks and inline code spans (text there is not a link). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every link target in `markdown`. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1]);
  for (const m of text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)) targets.push(m[1]);
  // Bare URLs become links on GitHub; count every one outside code.
  for (const m of text.matchAll(/(?:https?|ftp):\/\/[^\s)>\]]+|\bwww\.[a-z0-9-]+\.[a-z]{2,}\S*/gi)) targets.push(m[0]);
  return targets;
}

/** GitHub's anchor for each heading of `markdown` (lower case, punctuation dropped, spaces to '-', repeats numbered). */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]
      .replace(/`([^`]*)`/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Paths (relative to the repository) that git ignores, among `paths`; none when git is unavailable. */
function gitIgnored(paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const r = spawnSync('git', ['check-ignore', '--stdin'], { cwd: REPO, input: paths.join('\n'), encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) return new Set();
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/** What is wrong with each link of `file` (empty when every link is fine). */
function badLinks(file: string): string[] {
  const markdown = fs.readFileSync(file, 'utf8');
  const where = path.relative(REPO, file);
  const problems: string[] = [];
  const local: Array<{ target: string; resolved: string; anchor?: string }> = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || /^www\./i.test(target)) {
      problems.push(`${where}: ${target} leaves the repository`);
      continue;
    }
    const [file0, anchor] = target.split('#');
    const resolved = file0 === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(file0));
    const relative = path.relative(REPO, resolved);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      problems.push(`${where}: ${target} points outside the repository`);
    } else if (!fs.existsSync(resolved)) {
      problems.push(`${where}: ${target} points to a missing file (${relative})`);
    } else {
      local.push({ target, resolved, anchor });
    }
  }
  const ignored = gitIgnored(local.map((l) => path.relative(REPO, l.resolved)).filter(Boolean));
  for (const { target, resolved, anchor } of local) {
    if (ignored.has(path.relative(REPO, resolved))) problems.push(`${where}: ${target} points to a git-ignored (generated) file`);
    if (anchor && resolved.endsWith('.md') && !headingAnchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) {
      problems.push(`${where}: ${target} names a heading that ${path.relative(REPO, resolved)} does not have`);
    }
  }
  return problems;
}

/** Names the package root (kernel-lib/index.ts) exports, values and namespaces (not types). */
function rootExports(): Set<string> {
  const index = fs.readFileSync(path.join(REPO, 'kernel-lib/index.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of index.matchAll(/^export \{([^}]*)\} from/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.trim();
      if (name && !name.startsWith('type ')) names.add(name.split(/\s+as\s+/).pop()!.trim());
    }
  }
  for (const m of index.matchAll(/^export \* as (\w+) from/gm)) names.add(m[1]);
  return names;
}

describe('README', () => {
  const readme = fs.readFileSync(README, 'utf8');

  it(`is at most ${README_MAX_BYTES} bytes`, () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('keys the test command to the one CI runs', () => {
    expect(fs.readFileSync(path.join(REPO, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
    expect(readme).toMatch(/^npm test\s/m);
  });

  it('links only to files of the repository that exist, and to headings they have', () => {
    const problems = markdownFiles().flatMap(badLinks);
    expect(problems).toEqual([]);
  });

  it('shows gallery images that exist, are PNGs under 60 KB, and are all shown', () => {
    const shown = linkTargets(readme).filter((t) => t.startsWith('docs/gallery/'));
    expect(shown.length).toBeGreaterThan(0);
    // docs/gallery/*.png (npm run gallery) and docs/gallery/lectures/*.png (npm run lectures -- --gallery).
    const files = fs.readdirSync(GALLERY, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.png'));
    expect(shown.map((t) => path.relative('docs/gallery', t)).sort()).toEqual([...files].sort());
    let total = 0;
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(GALLERY, f));
      expect({ f, png: bytes.subarray(1, 4).toString('latin1') }).toEqual({ f, png: 'PNG' });
      expect({ f, small: bytes.length <= IMAGE_MAX_BYTES }).toEqual({ f, small: true });
      total += bytes.length;
    }
    expect(total).toBeLessThanOrEqual(GALLERY_MAX_BYTES);
  });

  it('names in its technique table only functions the package root exports and widgets that exist', () => {
    const from = readme.indexOf('## Techniques');
    const table = readme.slice(from, readme.indexOf('\n## ', from + 1));
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| technique') && !l.startsWith('| ---'));
    expect(rows.length).toBeGreaterThan(5);
    const exported = rootExports();
    const missing = rows
      .flatMap((row) => [...row.split('|')[2].matchAll(/`(?:lens\.)?(\w+)/g)].map((m) => m[1]))
      .filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
    const widgetsDir = path.join(REPO, 'kernel-lib/widgets');
    const classes = fs.readdirSync(widgetsDir).filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(widgetsDir, f), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]));
    const widgets = rows.flatMap((row) => row.split('|')[3].match(/\b[A-Z][a-z]+[A-Z]\w*/g) ?? []);
    expect(widgets.length).toBeGreaterThan(5);
    expect(widgets.filter((w) => !classes.includes(w))).toEqual([]);
  });
});

describe('the link checker', () => {
  it('finds links, images, HTML links and bare URLs, but not code', () => {
    const md = '[a](docs/a.md) ![b](docs/b.png "t") <img src="c.png"> see https://example.com\n`http://code` and\n```\n[x](y)\n```\n[ref]: ../r.md\n';
    expect(linkTargets(md).sort()).toEqual(['../r.md', 'c.png', 'docs/a.md', 'docs/b.png', 'https://example.com'].sort());
  });

  it('makes GitHub anchors', () => {
    const anchors = headingAnchors('# Backends: which one runs, and why\n## The shapes dataset ("Broden-lite")\n## Tests\n## Tests\n## `npm test` here\n');
    expect([...anchors]).toEqual(['backends-which-one-runs-and-why', 'the-shapes-dataset-broden-lite', 'tests', 'tests-1', 'npm-test-here']);
  });
});
