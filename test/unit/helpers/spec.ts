// Loads the official spec (the contract) that lives next to the repository in ../shared.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SPEC_PATH = process.env['STATSIG_OPENAPI_SPEC']
  ?? path.resolve(REPO_ROOT, '..', 'shared', 'statsig-openapi', 'console-api-20240601.whn-sources-subset.normalized.json');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

let cached: JsonObject | undefined;
export function loadSpec(): JsonObject {
  cached ??= JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as JsonObject;
  return cached;
}

/** Resolves `$ref`s and merges `allOf` so schemas can be compared structurally. */
export function deref(node: Json, spec: JsonObject = loadSpec()): Json {
  if (Array.isArray(node)) return node.map((n) => deref(n, spec));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node['$ref'] === 'string') {
    const target = node['$ref'].replace(/^#\//, '').split('/').reduce<Json>((o, k) => (o as JsonObject)[k] as Json, spec);
    return deref(target, spec);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = deref(v, spec);
  if (Array.isArray(out['allOf'])) {
    const merged: JsonObject = { ...out };
    delete merged['allOf'];
    for (const part of out['allOf'] as JsonObject[]) {
      for (const [k, v] of Object.entries(part)) {
        if (k === 'properties') merged['properties'] = { ...(merged['properties'] as JsonObject | undefined), ...(v as JsonObject) };
        else if (k === 'required') merged['required'] = [...((merged['required'] as Json[] | undefined) ?? []), ...(v as Json[])];
        else merged[k] = v;
      }
    }
    return merged;
  }
  return out;
}

export function component(name: string): JsonObject {
  const schemas = (loadSpec()['components'] as JsonObject)['schemas'] as JsonObject;
  const s = schemas[name];
  if (!s) throw new Error(`No component schema ${name} in the spec`);
  return deref(s) as JsonObject;
}

/** The `example` of an operation's response, if the spec has one. */
export function responseExample(pathKey: string, method: string, status: string): Json | undefined {
  const op = ((loadSpec()['paths'] as JsonObject)[pathKey] as JsonObject)[method] as JsonObject;
  const content = ((op['responses'] as JsonObject)[status] as JsonObject)['content'] as JsonObject;
  return (content['application/json'] as JsonObject)['example'];
}
