// A static file server for dist/ that compresses as a real static host does: each response is
// sent brotli- or gzip-encoded (`Content-Encoding`) when the browser accepts it, brotli first,
// at the highest level (what a host that precompresses its files serves). Loopback only, on a
// port the OS picks. Paths resolve as in tests/browser/lib/server.mjs.
//
// The Lighthouse bench (calculator.mjs) and the throttled-phone bench (time-to-form.mjs) use it:
// an uncompressed page would measure a download no visitor makes.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { contentType, resolvePath } from '../../tests/browser/lib/server.mjs';

/** Compressed bodies by file and encoding: compressing at level 11 costs more than serving. */
const cache = new Map();

/** The first of the host's `encodings` that the request's Accept-Encoding lists, or null. */
export function pickEncoding(accept, encodings) {
  const accepted = (accept ?? '').split(',').map((s) => s.trim().split(';')[0]);
  return encodings.find((e) => accepted.includes(e)) ?? null;
}

function body(file, encoding) {
  const key = `${file}\0${encoding}`;
  const st = fs.statSync(file);
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.bytes;
  const raw = fs.readFileSync(file);
  const bytes =
    encoding === 'br'
      ? zlib.brotliCompressSync(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        })
      : encoding === 'gzip'
        ? zlib.gzipSync(raw, { level: 9 })
        : raw;
  cache.set(key, { mtimeMs: st.mtimeMs, bytes });
  return bytes;
}

/** Every file below `dir`. */
function filesBelow(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/**
 * Serve root on 127.0.0.1:<free port>, compressed. `encodings`: the encodings the host offers,
 * in order of preference (default brotli then gzip). `warm`: folders below root whose files are
 * compressed before the server answers (a host serves precompressed files: compressing on the
 * first request would add to the measured time). Resolves to {url, close()}.
 */
export function serveCompressed(root, { encodings = ['br', 'gzip'], warm = [] } = {}) {
  for (const dir of warm) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const file of filesBelow(abs)) for (const e of encodings) body(file, e);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const hit = resolvePath(root, url.pathname);
    if (!hit) return res.writeHead(404).end();
    if (hit.redirect) return res.writeHead(301, { Location: hit.redirect + url.search }).end();
    const encoding = pickEncoding(req.headers['accept-encoding'], encodings);
    const bytes = body(hit.file, encoding);
    const headers = {
      'Content-Type': contentType(hit.file),
      'Content-Length': bytes.length,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    };
    if (encoding) headers['Content-Encoding'] = encoding;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      }),
    ),
  );
}
