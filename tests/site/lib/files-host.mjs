// files.oaiusercontent.com: the blob store the page PUTs raw file bytes to.
//
// It is another origin than the page, so the browser sends a CORS preflight
// (the PUT carries x-ms-blob-type), exactly the cross-origin path a guard must
// also cover.
import { sendText } from './http.mjs';

export const PAGE_ORIGINS = ['https://chatgpt.com', 'https://chat.openai.com'];

function corsHeaders(req) {
  const origin = req.headers.origin;
  if (!PAGE_ORIGINS.includes(origin)) return null;
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** Handles every request to the files host. `uploads` is the Backend's map of issued upload URLs. */
export function handleFilesHost(req, res, rec, uploads) {
  const cors = corsHeaders(req);
  if (req.method === 'OPTIONS') {
    if (!cors) return sendText(res, 403, 'CORS origin not allowed');
    res.writeHead(204, {
      ...cors,
      'access-control-allow-methods': 'PUT, GET, OPTIONS',
      // Like an Azure CORS rule with AllowedHeaders "*": echo what was asked.
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
      'access-control-max-age': '600',
    });
    return res.end();
  }
  const fileId = rec.path.slice(1);
  const up = uploads.get(fileId);
  const sig = new URLSearchParams(rec.query).get('sig');
  if (req.method === 'PUT') {
    if (!up || sig !== up.sig) return sendText(res, 403, 'AuthenticationFailed', cors ?? {});
    if (!req.headers['x-ms-blob-type']) return sendText(res, 400, 'MissingRequiredHeader x-ms-blob-type', cors ?? {});
    rec.fileId = fileId;
    up.put = rec;
    res.writeHead(201, { ...(cors ?? {}), 'content-length': 0 });
    return res.end();
  }
  if (req.method === 'GET' && up?.put && sig === up.sig) {
    res.writeHead(200, { ...(cors ?? {}), 'content-type': 'application/octet-stream' });
    return res.end(up.put.bytes);
  }
  sendText(res, 404, 'BlobNotFound', cors ?? {});
}
