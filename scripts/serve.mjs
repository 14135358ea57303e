// A static file server on 127.0.0.1 for the demo and the browser tests: `.wasm` as application/wasm,
// nothing outside its root. Usage: node scripts/serve.mjs <root> [port]   (port 0: any free port)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

/**
 * Serves `root`; resolves to `{ url, close }` once listening. `isolated` adds the headers of
 * cross-origin isolation, under which browsers give `performance.now()` its fine resolution;
 * `headers` go on every response; `gzip` compresses what a production server would (each file
 * once, at level 9, so that compressing costs no request time).
 */
export function serve(root, port = 0, { isolated = false, headers = {}, gzip = false } = {}) {
  const base = resolve(root);
  const compressed = new Map();
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    let file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(response, 403, 'forbidden');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const encode = gzip && /gzip/.test(request.headers['accept-encoding'] ?? '') && COMPRESSIBLE.has(extname(file));
      if (encode) {
        if (!compressed.has(file)) compressed.set(file, gzipSync(body, { level: 9 }));
        body = compressed.get(file);
      }
      // CORS: sandboxed frames have an opaque origin, so even this server's own files are cross-origin to them.
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
        ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}),
        ...(encode ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
        ...headers,
      });
      response.end(body);
    } catch {
      send(response, 404, 'not found');
    }
  });
  return new Promise((done) => {
    server.listen(port, '127.0.0.1', () => {
      done({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((closed) => server.close(closed)) });
    });
  });
}

function send(response, status, text) {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(text);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [root = '.', port = '8080'] = process.argv.slice(2);
  const { url } = await serve(root, Number(port), { gzip: true });
  console.log(`Serving ${resolve(root)} at ${url}`);
}
