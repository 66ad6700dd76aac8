// Where the user's text sits in a ChatGPT request body, so the wire guard reviews exactly that and
// puts the answer back in the same place. A body whose shape is not recognised is reported as such
// (null): the guard then follows the fail mode rather than guessing.

import type { GuardedKind } from '../shared/chatgpt-endpoints';

export type Path = (string | number)[];

type Json = unknown;

const isObj = (x: Json): x is Record<string, Json> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** String parts of a `content` object: `{content_type, parts: [...]}` (non-string parts are images etc.). */
function partPaths(content: Json, base: Path): Path[] {
  if (!isObj(content) || !Array.isArray(content.parts)) return [];
  return content.parts.flatMap((p, i) => (typeof p === 'string' ? [[...base, 'parts', i]] : []));
}

/**
 * The paths of the user's text in a body, or null when the body does not have the expected shape:
 * `partial_query.content.parts[]` for `prepare`; `messages[].content.parts[]` of user messages for a
 * conversation.
 */
export function textPaths(kind: GuardedKind, body: Json): Path[] | null {
  if (!isObj(body)) return null;
  if (kind === 'prepare') {
    if (!isObj(body.partial_query)) return null;
    return partPaths(body.partial_query.content, ['partial_query', 'content']);
  }
  if (!Array.isArray(body.messages)) return null;
  return body.messages.flatMap((m, i) => {
    if (!isObj(m)) return [];
    const role = isObj(m.author) ? m.author.role : undefined;
    if (role !== undefined && role !== 'user') return [];
    return partPaths(m.content, ['messages', i, 'content']);
  });
}

export function getPath(body: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json> | undefined)?.[key], body);
}

export function setPath(body: Json, path: Path, value: Json): void {
  const parent = getPath(body, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1] as string | number] = value;
}
