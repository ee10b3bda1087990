// Paths into a source's JSON document, as used by the editor protocol (edits, diagnostics) and the
// form: `['idTypeMapping', 1, 'column']`. Pure functions, no DOM, no `vscode`.

export type JsonPathSegment = string | number;
export type JsonPath = readonly JsonPathSegment[];

/**
 * The deepest nesting of objects and arrays a document may have. Parsers, the form and the edit
 * path all recurse once per level; a document nested deeper is refused with one clear problem
 * before any of them sees it. Real sources nest four or five levels.
 */
export const MAX_DEPTH = 200;

/**
 * Whether `value` is plain JSON (null, booleans, finite numbers, strings, arrays, plain objects)
 * nested at most `maxDepth` levels, each object or array met once (a cycle, or one object shared
 * by two places, is not a JSON text). Iterative: a value of any depth is answered, never thrown on.
 */
export function isJsonValue(value: unknown, maxDepth = MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    if (typeof v !== 'object' || depth >= maxDepth || seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!Object.hasOwn(v, i)) return false; // a hole is not JSON
        stack.push([v[i], depth + 1]);
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const key of Object.keys(v)) stack.push([(v as Record<string, unknown>)[key], depth + 1]);
  }
  return true;
}

/** A stable string for a path, usable as a map key or a DOM data attribute. */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

export function isPathPrefix(prefix: JsonPath, path: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

/** The value at `path`, or undefined when any step is missing or of the wrong shape. */
export function getAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return undefined;
      node = node[segment];
    }
  }
  return node;
}

/**
 * A copy of `root` with `value` at `path`; missing parents are created (arrays for numeric
 * segments, objects otherwise), like jsonc-parser's `modify`. Shares every untouched subtree.
 */
export function setAt(root: unknown, path: JsonPath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const copy: unknown[] = Array.isArray(root) ? [...(root as unknown[])] : [];
    copy[head] = setAt(copy[head], rest, value);
    return copy;
  }
  const base = isPlainObject(root) ? root : {};
  // A computed key defines an own property even for "__proto__" (no prototype change).
  return { ...base, [head]: setAt(base[head], rest, value) };
}

/** A copy of `root` without the key or array item at `path`; unchanged when it is not there. */
export function removeAt(root: unknown, path: JsonPath): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  if (rest.length > 0) {
    const child = getAt(root, [head]);
    return child === undefined ? root : setAt(root, [head], removeAt(child, rest));
  }
  if (typeof head === 'number') {
    return Array.isArray(root) ? root.filter((_, i) => i !== head) : root;
  }
  if (!isPlainObject(root) || !Object.hasOwn(root, head)) return root;
  return Object.fromEntries(Object.entries(root).filter(([key]) => key !== head));
}

/** `idTypeMapping[1].column`, the notation of the Console API's `errors[].property`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one equality of JSON values in the project (core, features and webview): structural, key
 * order ignored, own keys only, and a key whose value is `undefined` is the same as a missing key
 * (JSON has no `undefined`: it would not survive being sent or saved).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const defined = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined);
    const keys = defined(a);
    return keys.length === defined(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
