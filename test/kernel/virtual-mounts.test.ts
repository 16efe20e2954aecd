/**
 * The virtual node_modules the kernel shows TypeScript in a notebook folder: convlens is always
 * this package, Node's types are mounted only when no folder above has them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installMounts, notebookMounts, toRealPath } from '../../kernel-lib/kernel/virtual-mounts';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-mounts-'));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('convlens is always mounted; Node types only when none are installed above the folder', () => {
  const notebook = path.join(scratch, 'course', 'week1');
  fs.mkdirSync(notebook, { recursive: true });
  expect(notebookMounts(notebook, '/pkg', '/types/node')).toEqual([
    { virtualPath: `${notebook}/node_modules/convlens`, realPath: '/pkg' },
    { virtualPath: `${notebook}/node_modules/@types/node`, realPath: '/types/node' },
  ]);
  fs.mkdirSync(path.join(scratch, 'course', 'node_modules', '@types', 'node'), { recursive: true });
  fs.writeFileSync(path.join(scratch, 'course', 'node_modules', '@types', 'node', 'package.json'), '{}');
  expect(notebookMounts(notebook, '/pkg', '/types/node')).toEqual([
    { virtualPath: `${notebook}/node_modules/convlens`, realPath: '/pkg' },
  ]);
});

test('the patched sys maps files, lists mounts in their parent folders and does not watch mounts', () => {
  const pkg = path.join(scratch, 'pkg');
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"convlens"}');
  const watched: string[] = [];
  const sys: Record<string, any> = {
    fileExists: (p: string) => fs.existsSync(p) && fs.statSync(p).isFile(),
    readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
    directoryExists: (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory(),
    getDirectories: (p: string) => (fs.existsSync(p) ? fs.readdirSync(p).filter((n) => fs.statSync(path.join(p, n)).isDirectory()) : []),
    realpath: (p: string) => p,
    watchDirectory: (p: string) => {
      watched.push(p);
      return { close() {} };
    },
  };
  const notebook = path.join(scratch, 'nb');
  const virtual = `${notebook}/node_modules/convlens`;
  installMounts({ sys } as any, [{ virtualPath: virtual, realPath: pkg }]);

  expect(sys.fileExists(`${virtual}/package.json`)).toBe(true);
  expect(JSON.parse(sys.readFile(`${virtual}/package.json`)).name).toBe('convlens');
  expect(sys.realpath(`${virtual}/dist`)).toBe(`${pkg}/dist`);
  expect(sys.directoryExists(`${notebook}/node_modules`)).toBe(true);
  expect(sys.getDirectories(`${notebook}/node_modules`)).toEqual(['convlens']);
  expect(sys.getDirectories(virtual)).toEqual(['dist']);
  expect(sys.fileExists(`${notebook}/node_modules/other/package.json`)).toBe(false);
  sys.watchDirectory(virtual);
  sys.watchDirectory(notebook);
  expect(watched).toEqual([notebook]);
  expect(toRealPath([{ virtualPath: virtual, realPath: pkg }], `${virtual}x`)).toBe(`${virtual}x`);
});
