// The extension's latency benchmark, measured in real (headless) Chromium and Firefox ESR against the
// fixture site, through the same drivers as the end-to-end scenarios:
//   keystroke → highlight for 1 KB, 20 KB and 200 KB prompts (p50 / p99),
//   content script → background scan round trip (and the engine's own scan time),
//   background + detector cold start, and the size of what ships.
// Prints the tables and writes docs/performance-extension.md (Firefox in its own marked block, so a
// run for one browser keeps the other's figures).
//
//   node tests/e2e/bench.mjs [--browser chromium|firefox|all] [--compare]   (./build.sh bench runs all)
//   --browser firefox --compare   also measures Chromium for the Firefox block's side-by-side table,
//                                 without rewriting the Chromium section
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './harness.mjs';
import { startBrowser } from './lib/scenarios.mjs';

const SIZES = [
  { label: '1 KB', bytes: 1_000, samples: 60 },
  { label: '20 KB', bytes: 20_000, samples: 60 },
  { label: '200 KB', bytes: 200_000, samples: 40 },
];
const GOALS = { '20 KB': 16, '200 KB': 100, coldStart: 150, wasmGzipKb: 400 };
const COMPLETES = 'AKIALFSXTTB3WE6OMXX'; // one character short of an AWS access key id
const DOC = path.join(ROOT, 'docs/performance-extension.md');
const FIREFOX_BEGIN = '<!-- firefox:begin (written by tests/e2e/bench.mjs --browser firefox) -->';
const FIREFOX_END = '<!-- firefox:end -->';

/** Prose with a finding now and then (an email every ~4 KB), ending with an almost-complete key. */
function prompt(bytes) {
  const sentence = 'The quarterly review covers onboarding, incident follow-ups and the migration plan for the reporting service. ';
  let text = '';
  let n = 0;
  while (text.length < bytes - 40) {
    text += sentence;
    if (text.length > (n + 1) * 4_000) text += `Contact person${n++}.team@acme-corp.com for details.\n`;
    else if (text.length % 7 < 1) text += '\n';
  }
  return `${text.slice(0, bytes - 40)}\nkey ${COMPLETES}`;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (x) => (Number.isNaN(x) || x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const sleep = (t) => new Promise((r) => setTimeout(r, t));

async function keystrokeLatency(b, size) {
  const page = await b.openChat();
  const text = prompt(size.bytes);
  await page.evaluate((t) => window.__site.setText(t), text);
  await page.click('#prompt-textarea');
  await page.press('Control+End');
  await page.waitFor(() => true);
  for (let i = 0; (await page.ext('composerLength')) !== text.length; i++) {
    if (i > 400) throw new Error('the content script did not read the prompt');
    await sleep(25);
  }
  await sleep(600); // the first full scan and the site's preflight settle
  const base = await page.ext('blockCount');
  await page.ext('benchInstall');
  for (let i = 0; i < size.samples; i++) {
    const adding = i % 2 === 0; // type the last character, then take it back
    await page.ext('benchExpect', adding ? base + 1 : base);
    const before = await page.ext('benchCount');
    await page.press(adding ? 'U' : 'Backspace');
    const end = Date.now() + 10_000;
    while ((await page.ext('benchCount')) === before) {
      if (Date.now() > end) throw new Error(`no highlight update within 10 s (${size.label}, sample ${i})`);
      await sleep(2);
    }
    await sleep(60 + (i % 5) * 20); // typing rhythm: 60–140 ms between keys
  }
  const result = await page.ext('benchResult');
  await page.close();
  return result;
}

async function roundTrips(b) {
  const page = await b.openChat();
  const out = [];
  for (const size of SIZES) {
    const text = prompt(size.bytes);
    const trips = await page.ext('benchTrips', text);
    // The background's clock may be coarse: time batches of scans and divide.
    const engine = await b.worker((pw, t) => {
      const batches = [];
      for (let k = 0; k < 12; k++) {
        const n = t.length > 50_000 ? 3 : 20;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) pw.scan(t);
        batches.push((performance.now() - t0) / n);
      }
      return batches.slice(2);
    }, text);
    out.push({ label: size.label, trips, engine });
  }
  await page.close();
  return out;
}

async function coldStarts(b, runs = 5) {
  const page = await b.openChat();
  const ext = await b.openExtensionPage('options/options.html');
  const results = [];
  for (let i = 0; i < runs; i++) {
    await b.stopBackground();
    await sleep(200);
    const firstReply = await page.ext('benchFirstReply');
    const s = await ext.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
    results.push({ firstReply: firstReply.ms, ok: firstReply.ok, timings: s.engine?.timings });
  }
  await ext.close();
  await page.close();
  return results;
}

function sizes(dir) {
  const file = (p) => fs.readFileSync(path.join(ROOT, dir, p));
  const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
  const wasm = file('warden.wasm');
  const rules = file('rules/builtin.json');
  const js = ['background.js', 'content.js', 'page-guard.js'].map((f) => [f, file(f)]);
  return { wasm: wasm.length, wasmGz: gz(wasm), rules: rules.length, rulesGz: gz(rules), js: js.map(([f, b]) => [f, b.length, gz(b)]) };
}

/** Every figure, measured in one browser. */
async function measure(name) {
  const load = os.loadavg()[0];
  const b = await startBrowser(name);
  try {
    console.log(`${name} ${b.version}: measuring keystroke → highlight latency …`);
    const latency = [];
    for (const size of SIZES) {
      const r = await keystrokeLatency(b, size);
      latency.push({ ...size, ...r });
      console.log(`  ${size.label}: p50 ${ms(pct(r.toHighlight, 50))} ms, p99 ${ms(pct(r.toHighlight, 99))} ms (next frame p99 ${ms(pct(r.toFrame, 99))} ms)`);
    }
    console.log(`${name}: measuring content script → background round trips …`);
    const trips = await roundTrips(b);
    console.log(`${name}: measuring background cold starts …`);
    const cold = await coldStarts(b);
    return { name, version: b.version, load, latency, trips, cold, size: sizes(name === 'chromium' ? 'dist/chrome' : 'dist/firefox') };
  } finally {
    await b.close();
  }
}

const arg = process.argv.indexOf('--browser');
const which = arg > 0 ? process.argv[arg + 1] : 'all';
if (!['chromium', 'firefox', 'all'].includes(which)) throw new Error('usage: node tests/e2e/bench.mjs [--browser chromium|firefox|all]');
// --compare with --browser firefox: Chromium is measured too, for the side-by-side table of the Firefox
// block, but the Chromium section of the document is left as it is.
const compare = process.argv.includes('--compare');
const chromiumRun = which === 'firefox' && !compare ? null : await measure('chromium');
const firefoxRun = which === 'chromium' ? null : await measure('firefox');
const previous = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';

// --- report -------------------------------------------------------------------------------------
const median = (xs) => pct(xs, 50);
const verdict = (value, goal) => (value <= goal ? `✅ ≤ ${goal}` : `❌ goal ≤ ${goal}`);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const coldOf = (run) => median(run.cold.map((c) => c.firstReply));
const timingOf = (run, k) => median(run.cold.map((c) => c.timings?.[k] ?? NaN));

/** The Chromium part of the document (everything but the Firefox block). */
function chromiumLines(run) {
  const { version: chromium, latency, trips, cold, size } = run;
  const coldMedian = coldOf(run);
  const timing = (k) => timingOf(run, k);
  return [
  '# Extension performance',
  '',
  `Measured by \`./build.sh bench\` (\`tests/e2e/bench.mjs\`) on ${new Date().toISOString().slice(0, 10)}: headless ${chromium},`,
  `${os.cpus().length} × ${cpu}, Node ${process.version}, the extension from \`dist/chrome\` against the fixture site`,
  '(`tests/site`, a real ProseMirror composer). Machine shared with other jobs; figures vary by ±20 %.',
  '',
  '## Keystroke → highlight',
  '',
  'From the keydown event (its timestamp) to the highlights being registered by the content script, and',
  'to the next animation frame (when they are on screen). Each sample types the last character of an',
  'AWS key at the end of the prompt (a new blocked finding) or deletes it again, 60–140 ms apart, while',
  'the site sends its typing preflight as it does. Incremental scanning: only the edited region (± 8 KB)',
  'goes to the engine; a full scan reconciles when typing pauses.',
  '',
  '| prompt | samples | p50 | p90 | p99 | p99 to next frame | goal (p99) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...latency.map((l) => {
    const p99 = pct(l.toHighlight, 99);
    return `| ${l.label} | ${l.toHighlight.length} | ${ms(pct(l.toHighlight, 50))} ms | ${ms(pct(l.toHighlight, 90))} ms | ${ms(p99)} ms | ${ms(pct(l.toFrame, 99))} ms | ${GOALS[l.label] ? verdict(p99, GOALS[l.label]) + ' ms' : '—'} |`;
  }),
  '',
  'Where the time goes at 20 KB (instrumented separately, typical sample): the editor and the content',
  'script take ~3 ms from the key event to the scan request, the port round trip with the region scan',
  '~6 ms, painting ~1 ms. The p99 is set by stalls outside the extension on this shared 2-core machine —',
  'in the slow samples the page\'s own keydown listeners started up to 28 ms late, or one message took',
  '70 ms to cross between processes — so it moves a lot from run to run; the p50 and p90 are stable.',
  '',
  '## Content script → service worker scan',
  '',
  'A full `scan` request (text out, findings back) from the content script over its port to the worker,',
  'against the engine call alone inside the worker (round trips: 35 runs after 5 warm-up runs; engine:',
  'mean per scan over batches, as the worker\'s clock is coarse).',
  '',
  '| text | round trip p50 | round trip p99 | engine scan (mean) |',
  '| --- | ---: | ---: | ---: |',
  ...trips.map((t) => `| ${t.label} | ${ms(median(t.trips))} ms | ${ms(pct(t.trips, 99))} ms | ${ms(median(t.engine))} ms |`),
  '',
  '## Service worker + detector cold start',
  '',
  'The worker stopped (DevTools protocol), then one scan message from the content script: the time until',
  `its reply, which includes starting the worker, instantiating the wasm, reading the ${'rules'} and compiling`,
  `them. Median of ${cold.length} runs; the worker's own start-up timings alongside.`,
  '',
  '| first reply | instantiate wasm | read rules | compile rules | goal |',
  '| ---: | ---: | ---: | ---: | --- |',
  `| ${ms(coldMedian)} ms | ${ms(timing('wasmMs'))} ms | ${ms(timing('rulesMs'))} ms | ${ms(timing('compileMs'))} ms | ${verdict(coldMedian, GOALS.coldStart)} ms |`,
  '',
  'Compiling the rule set dominates. Natively the same compile takes about a third of this time',
  '(`warden bench`); the rest is WebAssembly running baseline (not yet optimised) code on a cold start.',
  'While a guarded tab is visible its content script reports to the worker every 20 s, which keeps the',
  'worker and its compiled rules alive, so a cold start is paid when the browser starts or after idle time.',
  '',
  '## Size',
  '',
  '| file | bytes | gzipped | goal |',
  '| --- | ---: | ---: | --- |',
  `| warden.wasm | ${size.wasm.toLocaleString('en')} | ${size.wasmGz.toLocaleString('en')} (${(size.wasmGz / 1024).toFixed(0)} KB) | ${verdict(size.wasmGz / 1024, GOALS.wasmGzipKb)} KB |`,
  `| rules/builtin.json | ${size.rules.toLocaleString('en')} | ${size.rulesGz.toLocaleString('en')} | — |`,
  ...size.js.map(([f, b, g]) => `| ${f} | ${b.toLocaleString('en')} | ${g.toLocaleString('en')} | — |`),
  '',
  'The wasm carries the engine only: the built-in packs ship beside it as JSON (`rules/builtin.json`,',
  'examples dropped) and no TOML parser is linked, which saved about 140 KB gzipped. Most of what remains',
  'is regex-automata; its `dfa` feature (full DFAs, enabled in the workspace) alone is about 40 KB',
  'gzipped, and dropping it would bring the file under the goal. `wasm-opt -Oz` makes the file about',
  '10 % smaller but its gzip about 2 % larger than stripping alone (1,196,556 B / 419,850 B gzipped).',
  '',
  ];
}

/** The Firefox block: the same figures in Firefox ESR, beside Chromium's. */
function firefoxLines(run, chromiumRun) {
  const coldMedian = coldOf(run);
  const side = (label, f, c) => `| ${label} | ${f} | ${c ?? '—'} |`;
  const lat = (r, label, p) => ms(pct(r.latency.find((l) => l.label === label).toHighlight, p));
  const trip = (r, label) => ms(median(r.trips.find((t) => t.label === label).trips));
  return [
    FIREFOX_BEGIN,
    '## Firefox ESR',
    '',
    `Measured by \`node tests/e2e/bench.mjs --browser firefox\` (\`./build.sh bench\` runs both browsers) on ${new Date().toISOString().slice(0, 10)}:`,
    `headless Firefox ${run.version} (Debian firefox-esr, geckodriver, selenium-webdriver), the e2e build of \`dist/firefox\``,
    '(the shipped files plus the test-only probe channel), the same fixture site, prompts and method as above.',
    'In Firefox the background is an event page (not a service worker) and the content script talks to it',
    'over the same port. Each key press goes through WebDriver, but the latency is timed inside the page',
    'from the keydown event, so the driver\'s own overhead is not in the figures.',
    `Load average when the measurement started: ${run.load.toFixed(1)} on ${os.cpus().length} cores${run.load > os.cpus().length ? ' — a busy machine: the p99 figures are mostly other jobs\' stalls, compare the p50s' : ''}.`,
    '',
    '| prompt | samples | p50 | p90 | p99 | p99 to next frame | goal (p99) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...run.latency.map((l) => {
      const p99 = pct(l.toHighlight, 99);
      return `| ${l.label} | ${l.toHighlight.length} | ${ms(pct(l.toHighlight, 50))} ms | ${ms(pct(l.toHighlight, 90))} ms | ${ms(p99)} ms | ${ms(pct(l.toFrame, 99))} ms | ${GOALS[l.label] ? verdict(p99, GOALS[l.label]) + ' ms' : '—'} |`;
    }),
    '',
    '| text | round trip p50 | round trip p99 | engine scan (mean) |',
    '| --- | ---: | ---: | ---: |',
    ...run.trips.map((t) => `| ${t.label} | ${ms(median(t.trips))} ms | ${ms(pct(t.trips, 99))} ms | ${ms(median(t.engine))} ms |`),
    '',
    'Cold start: the event page suspended (as Firefox does when idle; here through the privileged',
    `context, like about:debugging's "Terminate background script"), then one scan. Median of ${run.cold.length} runs.`,
    '',
    '| first reply | instantiate wasm | read rules | compile rules | goal |',
    '| ---: | ---: | ---: | ---: | --- |',
    `| ${ms(coldMedian)} ms | ${ms(timingOf(run, 'wasmMs'))} ms | ${ms(timingOf(run, 'rulesMs'))} ms | ${ms(timingOf(run, 'compileMs'))} ms | ${verdict(coldMedian, GOALS.coldStart)} ms |`,
    '',
    `Size: the same \`warden.wasm\` ships in both builds: ${run.size.wasm.toLocaleString('en')} bytes, ${run.size.wasmGz.toLocaleString('en')} gzipped.`,
    ...(chromiumRun
      ? [
          '',
          `Side by side (this run: Firefox ${run.version}, Chromium ${chromiumRun.version}):`,
          '',
          '| figure | Firefox ESR | Chromium |',
          '| --- | ---: | ---: |',
          ...SIZES.flatMap(({ label }) => [
            side(`keystroke → highlight p50, ${label}`, `${lat(run, label, 50)} ms`, `${lat(chromiumRun, label, 50)} ms`),
            side(`keystroke → highlight p99, ${label}`, `${lat(run, label, 99)} ms`, `${lat(chromiumRun, label, 99)} ms`),
          ]),
          ...SIZES.map(({ label }) => side(`scan round trip p50, ${label}`, `${trip(run, label)} ms`, `${trip(chromiumRun, label)} ms`)),
          side('background + detector cold start (median)', `${ms(coldMedian)} ms`, `${ms(coldOf(chromiumRun))} ms`),
        ]
      : []),
    FIREFOX_END,
  ];
}

/** The Firefox block already in the document, if any. */
function previousFirefoxBlock() {
  const a = previous.indexOf(FIREFOX_BEGIN);
  const b = previous.indexOf(FIREFOX_END);
  return a >= 0 && b > a ? previous.slice(a, b + FIREFOX_END.length) : null;
}

let doc;
if (which !== 'firefox') {
  const firefox = firefoxRun ? firefoxLines(firefoxRun, chromiumRun).join('\n') : previousFirefoxBlock();
  doc = `${chromiumLines(chromiumRun).join('\n')}${firefox ? `\n${firefox}\n` : ''}`;
} else {
  // Firefox only: replace (or add) the Firefox block, leave the Chromium figures as they are.
  const block = firefoxLines(firefoxRun, chromiumRun).join('\n');
  const old = previousFirefoxBlock();
  doc = old ? previous.replace(old, block) : `${previous.trimEnd()}\n\n${block}\n`;
}
fs.writeFileSync(DOC, doc.endsWith('\n') ? doc : `${doc}\n`);
if (which !== 'firefox') console.log(`\n${chromiumLines(chromiumRun).slice(6).join('\n')}`);
if (firefoxRun) console.log(`\n${firefoxLines(firefoxRun, chromiumRun).join('\n')}`);
console.log(`written to ${path.relative(ROOT, DOC)}`);
