/**
 * A tiny static file server on 127.0.0.1 for the offline HTML test: it serves folders under URL
 * prefixes and records every path requested, so a test can check what the page loaded.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};

export interface StaticServer {
  baseUrl: string;
  /** Paths requested so far, with their status, e.g. `200 /convlens.js`. */
  requests: string[];
  close(): Promise<void>;
}

/** Serve `mounts` (URL prefix → folder, e.g. `{ '/': site, '/mathjax/': '/usr/share/javascript/mathjax' }`). */
export function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  const requests: string[] = [];
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url || '/', 'http://127.0.0.1').pathname);
    const prefix = prefixes.find((p) => pathname.startsWith(p));
    const root = prefix !== undefined ? path.resolve(mounts[prefix]) : undefined;
    const file = root ? path.resolve(root, '.' + path.posix.sep + pathname.slice(prefix!.length)) : undefined;
    const ok = root && file && (file === root || file.startsWith(root + path.sep)) && fs.existsSync(file) && fs.statSync(file).isFile();
    requests.push(`${ok ? 200 : 404} ${pathname}`);
    if (!ok) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
