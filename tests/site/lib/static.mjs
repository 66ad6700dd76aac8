// Serves the built page from www/ with the real site's strict script policy.
import fs from 'node:fs';
import path from 'node:path';
import { sendText } from './http.mjs';

// Strict like chatgpt.com as far as a guard is concerned: no inline script, no
// eval, and no 'wasm-unsafe-eval' (so WebAssembly cannot be compiled in the
// page's realm, which in Chromium includes content scripts). Styles may be
// inline, as on the real site, so an extension's injected UI can be styled.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' https://files.oaiusercontent.com",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** GET/HEAD of the page: "/" and "/c/<id>" are the app shell, other paths are files in wwwDir. */
export function handleStatic(req, res, rec, wwwDir, csp = CSP) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const isShell = rec.path === '/' || /^\/c\/[\w-]+$/.test(rec.path);
  const name = isShell ? 'index.html' : rec.path.slice(1);
  // Only plain file names directly in wwwDir: no traversal, no subdirectories.
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return false;
  const file = path.join(wwwDir, name);
  let data;
  try { data = fs.readFileSync(file); } catch { return false; }
  const headers = {
    'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
    'content-length': data.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (name.endsWith('.html')) {
    Object.assign(headers, { 'content-security-policy': csp, 'referrer-policy': 'strict-origin-when-cross-origin' });
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : data);
  return true;
}

export function notFound(res) {
  sendText(res, 404, 'Not Found');
}
