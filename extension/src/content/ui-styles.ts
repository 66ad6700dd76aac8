// Styles of the extension's own UI on the page (card and status pill). They live in a closed shadow
// root, so the page's CSS cannot reach in and ours cannot leak out. Light and dark follow the page.

export const UI_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --bg: #ffffff; --fg: #1f1f1f; --muted: #5f6368; --line: #e3e3e3; --soft: #f6f7f9;
  --primary: #314cc4; --primary-fg: #ffffff; --focus: #4c6ef5;
  --block: #d93025; --block-soft: #fce8e6; --mask: #e37400; --mask-soft: #fef0e0;
  --warn: #b06000; --warn-soft: #fef7e0; --allow: #1a73e8; --allow-soft: #e8f0fe;
  --shadow: 0 12px 32px rgba(15, 23, 42, 0.18), 0 2px 6px rgba(15, 23, 42, 0.08);
  font: 14px/1.45 ui-sans-serif, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg);
}
.root.dark {
  --bg: #2b2b2e; --fg: #ececec; --muted: #a8a8ad; --line: #3e3e44; --soft: #333338;
  --primary: #7b93ff; --primary-fg: #0e1330; --focus: #9db0ff;
  --block: #ff8a80; --block-soft: #4a2624; --mask: #ffb36b; --mask-soft: #48321c;
  --warn: #fdd663; --warn-soft: #463d1c; --allow: #8ab4f8; --allow-soft: #1f3350;
  --shadow: 0 12px 32px rgba(0, 0, 0, 0.55), 0 2px 6px rgba(0, 0, 0, 0.35);
}
button {
  font: inherit; font-weight: 600; font-size: 13px; border-radius: 999px; padding: 6px 14px; cursor: pointer;
  border: 1px solid var(--line); background: var(--bg); color: var(--fg); transition: background 0.12s, border-color 0.12s;
}
button:hover { background: var(--soft); }
button:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
button.primary { background: var(--primary); border-color: var(--primary); color: var(--primary-fg); }
button.primary:hover { filter: brightness(1.08); }
button.quiet { border-color: transparent; background: transparent; color: var(--muted); }
button.quiet:hover { background: var(--soft); color: var(--fg); }

.card {
  position: fixed; z-index: 2147483647; width: min(460px, calc(100vw - 24px)); max-height: 560px;
  display: flex; flex-direction: column; background: var(--bg); border: 1px solid var(--line);
  border-radius: 16px; box-shadow: var(--shadow); overflow: hidden; animation: pw-in 0.14s ease-out;
}
@keyframes pw-in { from { opacity: 0; transform: translateY(6px); } to { opacity: 1; transform: none; } }
.card header { display: flex; align-items: center; gap: 10px; padding: 14px 16px 4px; }
.card .shield { flex: none; width: 28px; height: 28px; border-radius: 8px; display: grid; place-items: center; color: #fff; background: var(--sev); }
.card h2 { margin: 0; font-size: 15px; font-weight: 650; flex: 1; }
.card .close { padding: 4px 8px; font-size: 16px; line-height: 1; }
.card .lead { margin: 0; padding: 2px 16px 10px 54px; color: var(--muted); font-size: 13px; }
.card ul { list-style: none; margin: 0; padding: 0 12px; overflow-y: auto; flex: 1 1 auto; min-height: 0; }
.card li { border: 1px solid var(--line); border-left: 4px solid var(--sev); border-radius: 10px; padding: 10px 12px; margin: 0 0 8px; background: var(--bg); }
.card li.current { box-shadow: 0 0 0 2px var(--focus); }
.card .row { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.card .name { font-weight: 650; }
.card .tag { font-size: 11px; font-weight: 700; letter-spacing: 0.02em; text-transform: uppercase; padding: 1px 8px; border-radius: 999px; color: var(--sev); background: var(--sev-soft); }
.card .cat { font-size: 12px; color: var(--muted); }
.card code { display: inline-block; margin-top: 4px; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); border-radius: 6px; padding: 2px 6px; color: var(--fg); }
.card .why { margin: 6px 0 0; color: var(--muted); font-size: 12.5px; }
.card .item-actions { display: flex; gap: 6px; margin-top: 8px; }
.card .item-actions button { padding: 4px 12px; font-size: 12.5px; }
.card footer { display: flex; gap: 8px; align-items: center; justify-content: flex-end; padding: 10px 16px 14px; border-top: 1px solid var(--line); margin-top: 4px; }
.card footer .spacer { flex: 1; font-size: 12px; color: var(--muted); }
.card .notice { margin: 0 12px 10px; padding: 10px 12px; border-radius: 10px; background: var(--soft); font-size: 13px; }
.sev-block { --sev: var(--block); --sev-soft: var(--block-soft); }
.sev-mask { --sev: var(--mask); --sev-soft: var(--mask-soft); }
.sev-warn, .sev-justify { --sev: var(--warn); --sev-soft: var(--warn-soft); }
.reason { display: flex; flex-direction: column; gap: 4px; padding: 4px 16px 0; }
.reason textarea { font: inherit; min-height: 3em; resize: vertical; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; }
.sev-allow { --sev: var(--allow); --sev-soft: var(--allow-soft); }

.pill {
  position: fixed; z-index: 2147483646; display: inline-flex; align-items: center; gap: 6px;
  padding: 4px 12px 4px 5px; font-size: 12.5px; font-weight: 600; background: var(--bg); color: var(--fg);
  border: 1px solid var(--sev); box-shadow: 0 2px 8px rgba(15, 23, 42, 0.12);
}
.pill .dot { width: 20px; height: 20px; border-radius: 999px; display: grid; place-items: center; color: #fff; background: var(--sev); }
.pill .review { color: var(--primary); }
`;

/** A small shield, drawn in currentColor. */
export const SHIELD_SVG =
  '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1.2 2.5 3v4.3c0 3.4 2.3 6.1 5.5 7.5 3.2-1.4 5.5-4.1 5.5-7.5V3L8 1.2Z" fill="currentColor"/><circle cx="8" cy="6.6" r="1.4" fill="#0000" stroke="#fff" stroke-width="1.3"/><path d="M8 8v2.6" stroke="#fff" stroke-width="1.3" stroke-linecap="round"/></svg>';
