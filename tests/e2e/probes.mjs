// Named probes into the extension, shared by both browsers' drivers.
//
// A content probe runs inside the content script's isolated world and gets the content script's test
// handle (`globalThis.__promptwarden`: typing, card, adapter, wire, approvals, client) and one JSON
// argument. Chromium evaluates its source there through the DevTools protocol; Firefox runs it from
// the e2e build's probe channel (tests/e2e/ext/probe-channel.mjs), which compiles this very file in.
// So a probe must be self-contained: no closures over test variables, arguments and results
// JSON-serialisable. Add a probe here when a scenario needs to read or do something new.
//
// Worker probes (`b.worker(fn, arg)`) are not listed here: they are plain functions evaluated in an
// extension context of each browser, see README.md.

/** @type {Record<string, (pw: any, arg: any) => any>} */
export const contentProbes = {
  /** The content script found the composer. */
  attached: (pw) => pw.typing.attached !== null,
  /** Number of current findings. */
  findingCount: (pw) => pw.typing.findings.length,
  /** Whether there are exactly `n` findings (for `waitExt('hasFindings', n)`). */
  hasFindings: (pw, n) => pw.typing.findings.length === n,
  /** The current findings, as `{category, action, entity, start, end}`. */
  findings: (pw) =>
    pw.typing.findings.map((f) => ({ category: f.category, action: f.action, entity: f.entity, start: f.start, end: f.end })),
  /** The composer text as the content script reads it. */
  composerLength: (pw) => pw.typing.attached?.read().length ?? -1,
  /** The page-world guard has its private channel to the content script. */
  wireConnected: (pw) => pw.wire.connected === true,
  /** The adapter no longer finds the send control. */
  sendControlMissing: (pw) => !pw.adapter.health(true).sendControl,
  /** The site adapter's health report (forcing a fresh check). */
  health: (pw) => pw.adapter.health(true),
  /** Whether the card is open. */
  cardOpen: (pw) => pw.card.open === true,
  /** Whether the card is open in mode `mode`. */
  cardModeIs: (pw, mode) => pw.card.mode === mode,
  /** The card is closed. */
  cardClosed: (pw) => pw.card.open !== true,
  /** The card's mode ('send', 'review', 'notice') or null. */
  cardMode: (pw) => pw.card.mode ?? null,
  /** The card is open and done animating in. */
  cardSettled: (pw) => pw.card.node?.getAnimations().length === 0,
  /** Whether the open card lists exactly `n` findings. */
  cardHasItems: (pw, n) => (pw.card.node?.querySelectorAll('li').length ?? -1) === n,
  /** Texts of the open card's parts, or null. */
  card: (pw) => {
    const node = pw.card.node;
    if (!node) return null;
    return {
      mode: pw.card.mode,
      title: node.querySelector('h2')?.textContent ?? null,
      items: [...node.querySelectorAll('li')].map((li) => li.querySelector('.name')?.textContent ?? null),
      buttons: [...node.querySelectorAll('footer button')].map((b) => b.textContent),
      notice: node.querySelector('.notice')?.textContent ?? null,
      focused: node.getRootNode().activeElement?.textContent ?? null,
      dark: node.closest('.root')?.classList.contains('dark') ?? false,
    };
  },
  /** Clicks a button of the open card by its text (in the footer unless `item` names a finding). */
  clickCard: (pw, { label, item }) => {
    const node = pw.card.node;
    const scope = item ? [...(node?.querySelectorAll('li') ?? [])].find((li) => li.textContent.includes(item)) : node;
    const b = [...(scope?.querySelectorAll('button') ?? [])].find((x) => x.textContent === label);
    if (!b) throw new Error(`no "${label}" button in the card`);
    b.click();
    return true;
  },
  /** One scan request through the content script's own client (the port to the background). */
  ask: async (pw, message) => pw.client.ask(message),
  /** The send card's reason field (a `justify` finding): types `text` into it as input events would. */
  cardReason: (pw, text) => {
    const field = pw.card.node?.querySelector('textarea');
    if (!field) throw new Error('the card has no reason field');
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  },
  /** Whether the card's footer button `label` is disabled (null when there is none). */
  cardButtonDisabled: (pw, label) => {
    const b = [...(pw.card.node?.querySelectorAll('footer button') ?? [])].find((x) => x.textContent === label);
    return b ? b.disabled : null;
  },

  // --- uploads (tests/e2e/uploads.test.mjs) ------------------------------------------------------
  /** The upload card's parts, or null when it is closed. */
  uploadCard: (pw) => {
    const node = pw.uploadCard.node;
    if (!node) return null;
    const bar = node.querySelector('.bar');
    return {
      mode: pw.uploadCard.mode,
      title: node.querySelector('h2')?.textContent ?? null,
      lead: node.querySelector('.lead')?.textContent ?? null,
      reason: node.querySelector('.reason')?.textContent ?? null,
      items: [...node.querySelectorAll('li')].map((li) => ({
        name: li.querySelector('.name')?.textContent ?? null,
        where: li.querySelector('.where')?.textContent ?? null,
        preview: li.querySelector('code')?.textContent ?? null,
      })),
      buttons: [...node.querySelectorAll('footer button')].map((b) => b.textContent),
      progress: bar ? (bar.getAttribute('aria-valuenow') ?? 'busy') : null,
      focused: node.getRootNode().activeElement?.textContent ?? null,
    };
  },
  /** Whether the upload card is open in mode `mode` ('progress', 'block', 'warn', 'notice'). */
  uploadCardIs: (pw, mode) => pw.uploadCard.mode === mode && pw.uploadCard.node?.getAnimations().length === 0,
  /** Clicks a footer button of the upload card by its text. */
  clickUploadCard: (pw, label) => {
    const b = [...(pw.uploadCard.node?.querySelectorAll('footer button') ?? [])].find((x) => x.textContent === label);
    if (!b) throw new Error(`no "${label}" button in the upload card`);
    b.click();
    return true;
  },
  /** Hands `size` random bytes to the worker over the file port; the timings of the check. */
  benchHandOver: async (pw, { size, encoding }) => {
    const bytes = new Uint8Array(size);
    for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
    const t0 = performance.now();
    const r = await pw.checkFile({ name: 'bench.bin', size, bytes }, { encoding });
    const total = performance.now() - t0;
    if (!r.ok) throw new Error(r.error.message);
    r.check.close();
    return { ...r.check.timings, total };
  },
  /** Checks a file given as base64 through the whole hand-over + extraction + scan; the timings. */
  benchCheck: async (pw, { name, base64 }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const t0 = performance.now();
    const r = await pw.checkFile({ name, size: bytes.length, bytes }, {});
    const total = performance.now() - t0;
    if (!r.ok) throw new Error(r.error.message);
    r.check.close();
    return { ...r.check.timings, total, findings: r.check.report.findings.length, format: r.check.report.format, inspectable: r.check.report.inspectable };
  },


  /** Number of current `block` findings. */
  blockCount: (pw) => pw.typing.findings.filter((f) => f.action === 'block').length,
  /** Starts timing keystroke → highlight: keydown timestamps of `U`/Backspace to the next paint. */
  benchInstall: (pw) => {
    const bench = { t0: null, expect: -1, toHighlight: [], toFrame: [] };
    globalThis.__bench = bench;
    document.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'U' || e.key === 'Backspace') bench.t0 = e.timeStamp;
      },
      true,
    );
    pw.typing.painted.add((findings) => {
      const t0 = bench.t0;
      if (t0 === null || findings.filter((f) => f.action === 'block').length !== bench.expect) return;
      bench.t0 = null;
      bench.toHighlight.push(performance.now() - t0);
      requestAnimationFrame(() => bench.toFrame.push(performance.now() - t0));
    });
    return true;
  },
  benchExpect: (_pw, n) => (globalThis.__bench.expect = n),
  benchCount: () => globalThis.__bench.toFrame.length,
  benchResult: () => ({ toHighlight: globalThis.__bench.toHighlight, toFrame: globalThis.__bench.toFrame }),
  /** 40 scan round trips of `text` over the port; the first 5 warm the JIT and are dropped. */
  benchTrips: async (pw, text) => {
    const times = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      const reply = await pw.client.ask({ type: 'scan', text });
      if (!reply.ok) throw new Error(reply.error.message);
      times.push(performance.now() - t0);
    }
    return times.slice(5);
  },
  /** The time until the first reply to one scan (a cold start when the background was stopped). */
  benchFirstReply: async (pw) => {
    const t0 = performance.now();
    const reply = await pw.client.ask({ type: 'scan', text: 'hello, my key is AKIALFSXTTB3WE6OMXXU' });
    return { ms: performance.now() - t0, ok: reply.ok };
  },
};
