/**
 * A small JSON Schema checker for the CLI's `--json` reports: the keywords their schemas use (`type` with
 * `integer` and `null`, `enum`, `required`, `properties`, `additionalProperties: false`, `items`, `minimum`,
 * `oneOf`, local `$ref`). It throws on a keyword it does not know, so a schema cannot outgrow it silently.
 */
import { readFileSync } from 'node:fs';

/** A JSON Schema (the subset above). */
export type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', 'title', 'description', 'type', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minimum', 'oneOf', '$ref', '$defs']);

function typeOf(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** The problems of `value` against `schema` (`[]` when it conforms), each with its JSON path. */
export function schemaProblems(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  for (const keyword of Object.keys(schema)) if (!KNOWN.has(keyword)) throw new Error(`unsupported schema keyword ${keyword} at ${path}`);
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Schema)[key], root);
    return schemaProblems(value, target as Schema, root, path);
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const wanted = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!typeOf(value).some((type) => wanted.includes(type))) return [`${path}: ${JSON.stringify(value)?.slice(0, 60)} is not ${wanted.join(' or ')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((option) => schemaProblems(value, option, root, path).length === 0);
    if (matching.length !== 1) problems.push(`${path}: matches ${matching.length} of the oneOf schemas`);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!Object.hasOwn(object, name)) problems.push(`${path}: lacks ${name}`);
    for (const [name, member] of Object.entries(object)) {
      if (Object.hasOwn(properties, name)) problems.push(...schemaProblems(member, properties[name]!, root, `${path}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: has ${name}, which the schema does not list`);
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, index) => problems.push(...schemaProblems(item, schema.items as Schema, root, `${path}[${index}]`)));
  }
  return problems;
}

/** Reads one of the schemas under docs/cli/. */
export function readSchema(name: string): Schema {
  return JSON.parse(readFileSync(new URL(`../../docs/cli/${name}`, import.meta.url), 'utf8')) as Schema;
}
