// Reads the conversation answer: server-sent events carrying `delta_encoding: "v1"` patches.
//
// v1 in short: {p, o, v} = path (JSON pointer), op (add/append/replace/patch), value.
// A delta with only `v` repeats the previous path and op (the common case for
// text chunks), so parsers must keep state across events.

/** Yields {event, data} for each SSE event in a fetch Response body. */
export async function* readEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    buf += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield { event, data: data.join('\n') };
    }
    if (done) return;
  }
}

/** Applies v1 deltas to a growing state object ({message, conversation_id}). */
export class DeltaState {
  constructor() {
    this.root = {};
    this.lastPath = '';
    this.lastOp = 'add';
  }

  apply(delta) {
    const p = delta.p ?? this.lastPath;
    const o = delta.o ?? this.lastOp;
    this.lastPath = p;
    this.lastOp = o;
    this.#op(p, o, delta.v);
  }

  #op(p, o, v) {
    if (o === 'patch') { for (const d of v) this.#op(d.p, d.o, d.v); return; }
    if (p === '') {
      if (o === 'add' || o === 'replace') this.root = v;
      return;
    }
    const keys = p.split('/').slice(1);
    const last = keys.pop();
    let obj = this.root;
    for (const k of keys) obj = obj[k] ??= {};
    if (o === 'append') obj[last] = (obj[last] ?? '') + v;
    else obj[last] = v; // add / replace
  }
}
