/**
 * A static file server on 127.0.0.1 for the browser tests of the widget bundles: a page with
 * requirejs and @jupyter-widgets/html-manager's embed-amd.js (which defines @jupyter-widgets/base
 * for requirejs, as JupyterLab or a notebook page would provide it), plus the given files.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';

/** The repository root. */
export const REPO = path.join(__dirname, '../..');

const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="/require.js"></script><script src="/embed-amd.js"></script></head>
<body><div id="out"></div></body></html>`;

const BASE_FILES: Record<string, string> = {
  '/require.js': '/usr/lib/python3/dist-packages/notebook/static/components/requirejs/require.js',
  '/embed-amd.js': path.join(REPO, 'node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js'),
};

/** A running server: its base URL and how to stop it. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serve the page at `/`, require.js and embed-amd.js, the files in `files` (URL path -> file) and
 * everything under `dirs` (URL prefix -> folder).
 */
export async function serveStatic(files: Record<string, string> = {}, dirs: Record<string, string> = {}): Promise<StaticServer> {
  const all = { ...BASE_FILES, ...files };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (url === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(PAGE);
      return;
    }
    let file = all[url];
    for (const [prefix, dir] of Object.entries(dirs)) {
      if (!file && url.startsWith(prefix)) {
        const candidate = path.join(dir, path.normalize(url.slice(prefix.length)));
        if (candidate.startsWith(dir)) file = candidate;
      }
    }
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.setHeader('content-type', 'application/javascript');
      res.end(fs.readFileSync(file));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
