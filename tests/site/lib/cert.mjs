// Self-signed TLS certificate for the fake ChatGPT hosts.
//
// Generated once with the `openssl` CLI into a cache directory and reused, so
// the SPKI hash a browser is told to trust stays stable between runs. Several
// test processes may start at once, so the key+cert pair is generated in a
// temporary directory and renamed into place as one unit: a reader sees either
// no pair or a complete one, never a key from one run with a cert from another.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const HOSTS = ['chatgpt.com', 'chat.openai.com', 'files.oaiusercontent.com'];
// localhost/127.0.0.1 too, so `curl --cacert` against the bare port also works.
const SANS = [...HOSTS.map((h) => `DNS:${h}`), 'DNS:localhost', 'IP:127.0.0.1'];
// Under 398 days: Chromium refuses longer-lived leaf certificates.
const DAYS = 397;

/**
 * Returns {key, cert, spki, dir}: PEM strings and the base64 sha256 of the
 * DER SubjectPublicKeyInfo (the value --ignore-certificate-errors-spki-list takes).
 */
export function ensureCert(cacheDir) {
  const dir = path.join(cacheDir, 'pair');
  let pair = readPair(dir);
  if (!pair) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir, 'tmp-'));
    try {
      generate(tmp);
      if (fs.existsSync(dir) && !readPair(dir)) fs.rmSync(dir, { recursive: true, force: true });
      try {
        fs.renameSync(tmp, dir);
      } catch (e) {
        // Another process renamed its pair first: use that one.
        if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    pair = readPair(dir);
    if (!pair) throw new Error(`could not create a usable certificate in ${dir}`);
  }
  return { ...pair, spki: spkiHash(pair.cert), dir };
}

export function spkiHash(certPem) {
  const der = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** The pair in dir if it covers all hosts, matches, and is not about to expire; else null. */
function readPair(dir) {
  try {
    const key = fs.readFileSync(path.join(dir, 'key.pem'), 'utf8');
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const x = new X509Certificate(cert);
    const sans = x.subjectAltName ?? '';
    const coversAll = HOSTS.every((h) => sans.includes(`DNS:${h}`));
    // Regenerate a day before expiry rather than fail a run at midnight.
    const fresh = new Date(x.validTo).getTime() - Date.now() > 24 * 3600 * 1000;
    return coversAll && fresh && x.checkPrivateKey(createPrivateKey(key)) ? { key, cert } : null;
  } catch {
    return null;
  }
}

function generate(dir) {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    '-days', String(DAYS),
    '-subj', '/CN=chatgpt.com/O=PromptWarden test site',
    '-addext', `subjectAltName=${SANS.join(',')}`,
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'keyUsage=critical,digitalSignature',
    '-addext', 'extendedKeyUsage=serverAuth',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
}
