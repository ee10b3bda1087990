// What the form shows, derived from the kind's JSON Schema (draft-7, from z.toJSONSchema) and the
// document's current value. Pure data, no DOM: the view renders it, the unit tests check it.
//
// The model carries the *shape* of the form, never leaf values: two models that serialise the same
// can be reconciled by updating values in place, so a document echo does not rebuild the form.
// Shape that depends on the value (the row count of a table, the entries of an open map) is part
// of the model for that reason.
import { getAt, isPlainObject, MAX_DEPTH, type JsonPath } from '../shared/jsonPath.ts';

export type JsonSchema = Readonly<Record<string, unknown>>;
export type Primitive = string | number | boolean | null;

export interface FieldCommon {
  readonly path: JsonPath;
  /** The JSON key (or column name). */
  readonly key: string;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
  readonly readOnly: boolean;
}

export interface TextField extends FieldCommon { readonly kind: 'text'; readonly multiline: boolean; readonly nullable: boolean }
export interface NumberField extends FieldCommon { readonly kind: 'number'; readonly integer: boolean; readonly nullable: boolean }
export interface BooleanField extends FieldCommon { readonly kind: 'boolean' }
export interface EnumField extends FieldCommon { readonly kind: 'enum'; readonly options: readonly Primitive[] }
/** A value the form cannot edit (a union, an array of arrays, …): shown as JSON, edited as text. */
export interface JsonField extends FieldCommon { readonly kind: 'json' }
export type LeafField = TextField | NumberField | BooleanField | EnumField | JsonField;

/** Array of strings. */
export interface TagsField extends FieldCommon { readonly kind: 'tags' }
/** Array of objects: one row per item, one column per item property. */
export interface TableField extends FieldCommon {
  readonly kind: 'table';
  /** Paths are relative to a row: `[columnKey]`. */
  readonly columns: readonly LeafField[];
  readonly rowCount: number;
  /** The item "Add row" appends: required columns with an empty value. */
  readonly newRow: Readonly<Record<string, unknown>>;
}
/**
 * Object without declared properties (`additionalProperties`): string entries are key/value rows;
 * other entries (an open map such as ingestion's `column_mapping` holds `ids: {…}`) are nested
 * fields inferred from their values.
 */
export interface MapField extends FieldCommon {
  readonly kind: 'map';
  readonly entryCount: number;
  readonly nested: readonly FieldModel[];
}
/** Object with declared properties: a fieldset. */
export interface GroupField extends FieldCommon {
  readonly kind: 'group';
  readonly children: readonly FieldModel[];
  /** Keys in the value that the schema does not declare (shown read-only). */
  readonly otherKeys: readonly string[];
}
export type FieldModel = LeafField | TagsField | TableField | MapField | GroupField;

export interface SqlFieldModel extends FieldCommon { readonly kind: 'sql' }

export interface FormModel {
  readonly sql: SqlFieldModel;
  /** Every declared field except the SQL one, in schema order. */
  readonly fields: readonly FieldModel[];
  /** Top-level keys of the document that the schema does not declare. */
  readonly otherKeys: readonly string[];
}

export interface FormOptions {
  readonly sqlField: string;
  /** Top-level keys shown read-only whatever the schema says. */
  readonly readOnlyPaths: readonly string[];
}

/** Keys whose strings are prose, edited in a textarea. */
const MULTILINE_KEYS = new Set(['description']);

export function buildFormModel(schema: JsonSchema, value: Readonly<Record<string, unknown>>, options: FormOptions): FormModel {
  const root = normalize(schema, schema).schema;
  const properties = propertiesOf(root);
  const required = requiredOf(root);
  const readOnlyPaths = new Set(options.readOnlyPaths);
  const sqlSchema = normalize(properties[options.sqlField] ?? {}, schema).schema;
  const sql: SqlFieldModel = {
    kind: 'sql',
    ...common([options.sqlField], options.sqlField, sqlSchema, required.has(options.sqlField),
      readOnlyPaths.has(options.sqlField) || sqlSchema['readOnly'] === true),
  };
  const fields = Object.entries(properties)
    .filter(([key]) => key !== options.sqlField)
    .map(([key, child]) => classify(child, {
      root: schema, path: [key], key, value: value[key], required: required.has(key), readOnly: readOnlyPaths.has(key),
    }));
  const otherKeys = Object.keys(value).filter((key) => key !== options.sqlField && !Object.hasOwn(properties, key));
  return { sql, fields, otherKeys };
}

interface Place {
  readonly root: JsonSchema;
  readonly path: JsonPath;
  readonly key: string;
  readonly value: unknown;
  readonly required: boolean;
  /** Inherited from a read-only parent, or listed by the host. */
  readonly readOnly: boolean;
}

function classify(raw: unknown, place: Place): FieldModel {
  const { schema, nullable, supported } = normalize(raw, place.root);
  const base = common(place.path, place.key, schema, place.required, place.readOnly || schema['readOnly'] === true);
  // Nested fields follow the value (open maps): past MAX_DEPTH it is shown as JSON, not recursed into.
  if (!supported || place.path.length > MAX_DEPTH) return { kind: 'json', ...base };
  const options = Array.isArray(schema['enum']) ? schema['enum'] : Object.hasOwn(schema, 'const') ? [schema['const']] : undefined;
  if (options) return { kind: 'enum', ...base, options: options.filter(isPrimitive) };
  switch (schema['type'] ?? impliedType(schema, place.value)) {
    case 'string':
      return { kind: 'text', ...base, multiline: MULTILINE_KEYS.has(place.key), nullable };
    case 'number':
    case 'integer':
      return { kind: 'number', ...base, integer: schema['type'] === 'integer', nullable };
    case 'boolean':
      return { kind: 'boolean', ...base };
    case 'array':
      return classifyArray(schema, place, base);
    case 'object':
      return propertiesOf(schema) === EMPTY ? classifyMap(schema, place, base) : classifyGroup(schema, place, base);
    default:
      return { kind: 'json', ...base };
  }
}

function classifyArray(schema: JsonSchema, place: Place, base: FieldCommon): FieldModel {
  const items = normalize(schema['items'] ?? {}, place.root);
  const itemType = items.schema['type'] ?? (Array.isArray(items.schema['enum']) ? 'string' : undefined);
  if (items.supported && itemType === 'string') return { kind: 'tags', ...base };
  if (items.supported && itemType === 'object' && propertiesOf(items.schema) !== EMPTY) {
    const required = requiredOf(items.schema);
    const columns = Object.entries(propertiesOf(items.schema)).map(([key, column]) =>
      asLeaf(classify(column, { root: place.root, path: [key], key, value: undefined, required: required.has(key), readOnly: base.readOnly })));
    const rowCount = Array.isArray(place.value) ? place.value.length : 0;
    return { kind: 'table', ...base, columns, rowCount, newRow: newRowFor(columns) };
  }
  if (!items.supported || items.schema['type'] !== undefined) return { kind: 'json', ...base };
  // Untyped items: a list of strings in the document is still a list of tags.
  return Array.isArray(place.value) && place.value.every((v) => typeof v === 'string') ? { kind: 'tags', ...base } : { kind: 'json', ...base };
}

function classifyGroup(schema: JsonSchema, place: Place, base: FieldCommon): GroupField {
  const properties = propertiesOf(schema);
  const required = requiredOf(schema);
  const value = isPlainObject(place.value) ? place.value : {};
  const children = Object.entries(properties).map(([key, child]) => classify(child, {
    root: place.root, path: [...place.path, key], key, value: value[key], required: required.has(key), readOnly: base.readOnly,
  }));
  const otherKeys = Object.keys(value).filter((key) => !Object.hasOwn(properties, key));
  return { kind: 'group', ...base, children, otherKeys };
}

function classifyMap(schema: JsonSchema, place: Place, base: FieldCommon): FieldModel {
  if (schema['additionalProperties'] === false) return { kind: 'json', ...base };
  const value = isPlainObject(place.value) ? place.value : {};
  // Non-string entries are typed by their value: `additionalProperties` of a string map cannot describe them.
  const nested = Object.entries(value)
    .filter(([, v]) => typeof v !== 'string')
    .map(([key, v]) => classify({}, { root: place.root, path: [...place.path, key], key, value: v, required: false, readOnly: base.readOnly }));
  return { kind: 'map', ...base, entryCount: stringEntries(place.value).length, nested };
}

/** The string entries of an object, in document order: the rows of a map field. */
export function stringEntries(value: unknown): [string, string][] {
  if (!isPlainObject(value)) return [];
  return Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

/** A value without a declared type: what it holds decides (and nothing when it is absent). */
function impliedType(schema: JsonSchema, value: unknown): string | undefined {
  if (schema['properties'] !== undefined || schema['additionalProperties'] !== undefined) return 'object';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value;
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return undefined;
}

function asLeaf(field: FieldModel): LeafField {
  switch (field.kind) {
    case 'text': case 'number': case 'boolean': case 'enum': case 'json':
      return field;
    default:
      return { kind: 'json', path: field.path, key: field.key, label: field.label, required: field.required, readOnly: field.readOnly, ...(field.description !== undefined ? { description: field.description } : {}) };
  }
}

function newRowFor(columns: readonly LeafField[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    if (!column.required) continue;
    if (column.kind === 'text') row[column.key] = '';
    else if (column.kind === 'number') row[column.key] = 0;
    else if (column.kind === 'boolean') row[column.key] = false;
    else if (column.kind === 'enum' && column.options.length > 0) row[column.key] = column.options[0];
  }
  return row;
}

function common(path: JsonPath, key: string, schema: JsonSchema, required: boolean, readOnly: boolean): FieldCommon {
  const title = schema['title'];
  const description = schema['description'];
  return {
    path, key, required, readOnly,
    label: typeof title === 'string' && title !== '' ? title : humanize(key),
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
  };
}

/**
 * `experimentIDColumn` → "Experiment ID column", `source_name` → "Source name". One pass over the
 * key (map keys are the user's, of any length): words split at `_`, `-`, spaces, a lower-case letter
 * or digit followed by a capital, and before the last capital of a run followed by a lower-case letter.
 */
export function humanize(key: string): string {
  const words: string[] = [];
  let word = '';
  const cut = () => {
    if (word !== '') words.push(word);
    word = '';
  };
  for (let i = 0; i < key.length; i++) {
    const c = key.charAt(i);
    if (c === '_' || c === '-' || isBlank(c)) {
      cut();
      continue;
    }
    const prev = key.charAt(i - 1);
    const next = key.charAt(i + 1);
    if (isUpper(c) && word !== '' && ((isLower(prev) || isDigit(prev)) || (isUpper(prev) && isLower(next)))) cut();
    word += c;
  }
  cut();
  return words
    .map((w, i) => ACRONYMS[w.toLowerCase()] ?? (w.length >= 2 && [...w].every((ch) => isUpper(ch) || isDigit(ch)) ? w : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w.toLowerCase()))
    .join(' ');
}

const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const isLower = (c: string) => c >= 'a' && c <= 'z';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isBlank = (c: string) => c.trim() === '';

const ACRONYMS: Readonly<Record<string, string>> = { sql: 'SQL', id: 'ID', ids: 'IDs', url: 'URL' };

// ------------------------------------------------------------------ schema normalisation

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

function propertiesOf(schema: JsonSchema): Readonly<Record<string, unknown>> {
  const p = schema['properties'];
  return isPlainObject(p) && Object.keys(p).length > 0 ? p : EMPTY;
}

function requiredOf(schema: JsonSchema): ReadonlySet<string> {
  const r = schema['required'];
  return new Set(Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : []);
}

interface Normalized {
  readonly schema: JsonSchema;
  readonly nullable: boolean;
  /** False for shapes the form does not edit (real unions, several types). */
  readonly supported: boolean;
}

/**
 * Resolves local `$ref`s and folds the ways zod spells "nullable" (`type: [T, 'null']`,
 * `anyOf: [T, {type: 'null'}]`) into one schema plus a flag.
 */
export function normalize(raw: unknown, root: JsonSchema, depth = 0): Normalized {
  const schema = isPlainObject(raw) ? raw : {};
  if (depth > 16) return { schema, nullable: false, supported: false };
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = resolvePointer(root, ref);
    if (target === undefined) return { schema, nullable: false, supported: false };
    const { $ref: _ref, ...rest } = schema;
    const inner = normalize(target, root, depth + 1);
    return { ...inner, schema: { ...inner.schema, ...rest } };
  }
  const alternatives = schema['anyOf'] ?? schema['oneOf'] ?? (Array.isArray(schema['allOf']) && schema['allOf'].length === 1 ? schema['allOf'] : undefined);
  if (Array.isArray(alternatives)) {
    const { anyOf: _a, oneOf: _o, allOf: _l, ...rest } = schema;
    const others = alternatives.filter((a) => !isNullSchema(a));
    if (others.length !== 1) return { schema: rest, nullable: false, supported: false };
    const inner = normalize(others[0], root, depth + 1);
    // The wrapper's own keywords (description, readOnly) describe the field: they win.
    return { schema: { ...inner.schema, ...rest }, nullable: inner.nullable || others.length < alternatives.length, supported: inner.supported };
  }
  if (schema['allOf'] !== undefined) return { schema, nullable: false, supported: false };
  const type = schema['type'];
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    const single = types.length === 1 ? (types[0] as unknown) : undefined;
    return { schema: { ...schema, type: single }, nullable: types.length < type.length, supported: single !== undefined };
  }
  return { schema, nullable: false, supported: true };
}

function isNullSchema(schema: unknown): boolean {
  return isPlainObject(schema) && schema['type'] === 'null';
}

/** `#/$defs/Name` or `#/definitions/Name` inside the same document. */
function resolvePointer(root: JsonSchema, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const segments = ref.slice(1).split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  return getAt(root, segments);
}

function isPrimitive(v: unknown): v is Primitive {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
