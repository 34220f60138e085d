import { readFileSync } from "node:fs";
import { referencePath } from "../../support/reference";

/**
 * A small checker of JSON against Lightspeed's own OpenAPI 2026-07 component schemas
 * (../shared/reference/lightspeed-x-series-openapi.json), the way the QBO sandbox checks Intuit's XSD:
 * `$ref`, `allOf`, `type` (object, array, string, number, integer, boolean), `enum`, `required`,
 * `nullable`, `format` (uuid, date-time, int64), `pattern`, `items` and `properties`.
 *
 * Objects are CLOSED: a property the schema does not declare is an error unless the schema allows
 * `additionalProperties` (or declares no properties at all) — so the sandbox cannot invent fields.
 * One documented leniency, the sandbox's convention (its README): an optional property may be null
 * where the spec does not say `nullable` (the POS sends null for absent values); `strictNulls` turns
 * that off. A required property is never null unless `nullable`.
 */

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  enum?: unknown[];
  required?: string[];
  nullable?: boolean;
  format?: string;
  pattern?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
};

const SPEC_PATH = referencePath("lightspeed-x-series-openapi.json"); // tests reading it use describeWithReference

let cached: Record<string, Schema> | null = null;

export function componentSchemas(): Record<string, Schema> {
  cached ??= (JSON.parse(readFileSync(SPEC_PATH, "utf8")) as { components: { schemas: Record<string, Schema> } })
    .components.schemas;
  return cached;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface CheckOptions {
  strictNulls?: boolean;
  /**
   * Properties (as paths like "TaxCollection.version") that may appear although the schema does not
   * declare them — each one justified where it is used (e.g. the spec's own example shows it).
   */
  extra?: readonly string[];
}

function resolve(schema: Schema): Schema {
  const schemas = componentSchemas();
  let s = schema;
  while (s.$ref) {
    const name = s.$ref.replace("#/components/schemas/", "");
    const next = schemas[name];
    if (!next) throw new Error(`unknown schema ${s.$ref}`);
    s = next;
  }
  if (!s.allOf) return s;
  // allOf: merge the parts (properties, required), as the spec uses it for composition
  const merged: Schema = { type: "object", properties: {}, required: [] };
  for (const part of s.allOf.map(resolve)) {
    Object.assign(merged.properties!, part.properties ?? {});
    merged.required!.push(...(part.required ?? []));
    if (part.additionalProperties) merged.additionalProperties = part.additionalProperties;
  }
  Object.assign(merged.properties!, s.properties ?? {});
  return merged;
}

function checkScalar(s: Schema, value: unknown, path: string, errors: string[]): void {
  const type = s.type;
  const is =
    type === "string"
      ? typeof value === "string"
      : type === "number"
        ? typeof value === "number" && Number.isFinite(value)
        : type === "integer"
          ? typeof value === "number" && Number.isInteger(value)
          : type === "boolean"
            ? typeof value === "boolean"
            : true;
  if (!is) {
    errors.push(`${path}: expected ${type}, got ${JSON.stringify(value)}`);
    return;
  }
  if (s.enum && !s.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${s.enum.join(", ")}`);
  if (typeof value === "string") {
    const f = s.format?.toLowerCase();
    if (f === "uuid" && !UUID.test(value)) errors.push(`${path}: "${value}" is not a uuid`);
    if (f === "date-time" && !DATE_TIME.test(value)) errors.push(`${path}: "${value}" is not an RFC 3339 date-time`);
    if (s.pattern && !new RegExp(s.pattern).test(value)) errors.push(`${path}: "${value}" does not match ${s.pattern}`);
  }
}

function checkObject(s: Schema, value: Record<string, unknown>, path: string, errors: string[], o: CheckOptions) {
  const props = s.properties ?? {};
  for (const name of s.required ?? []) {
    if (!(name in value)) errors.push(`${path}.${name}: required but missing`);
    else if (value[name] === null && !resolve(props[name] ?? {}).nullable)
      errors.push(`${path}.${name}: required, not nullable, got null`);
  }
  const closed = s.additionalProperties === undefined || s.additionalProperties === false;
  for (const [name, v] of Object.entries(value)) {
    const ps = props[name];
    if (!ps) {
      const allowed = o.extra?.includes(`${path}.${name}`) ?? false;
      if (closed && !allowed && Object.keys(props).length > 0)
        errors.push(`${path}.${name}: not a property of the schema`);
      else if (typeof s.additionalProperties === "object")
        check(s.additionalProperties, v, `${path}.${name}`, errors, o);
      continue;
    }
    if (v === null) {
      const nullable = resolve(ps).nullable === true;
      const optional = !(s.required ?? []).includes(name);
      if (!nullable && (o.strictNulls || !optional))
        errors.push(`${path}.${name}: null where the spec says not nullable`);
      continue;
    }
    check(ps, v, `${path}.${name}`, errors, o);
  }
}

function check(schema: Schema, value: unknown, path: string, errors: string[], o: CheckOptions): void {
  const s = resolve(schema);
  if (value === null) {
    if (!s.nullable) errors.push(`${path}: null where the spec says not nullable`);
    return;
  }
  const isObject = s.type === "object" || (s.type === undefined && s.properties !== undefined);
  if (isObject) {
    if (typeof value !== "object" || Array.isArray(value)) {
      errors.push(`${path}: expected an object, got ${JSON.stringify(value)}`);
      return;
    }
    checkObject(s, value as Record<string, unknown>, path, errors, o);
  } else if (s.type === "array") {
    if (!Array.isArray(value)) {
      errors.push(`${path}: expected an array, got ${JSON.stringify(value)}`);
      return;
    }
    value.forEach((v, i) => {
      if (s.items) check(s.items, v, `${path}[${i}]`, errors, o);
    });
  } else checkScalar(s, value, path, errors);
}

/** Errors of `value` against the component schema `name` (empty when it conforms). */
export function conformsTo(name: string, value: unknown, o: CheckOptions = {}): string[] {
  const errors: string[] = [];
  check({ $ref: `#/components/schemas/${name}` }, value, name, errors, o);
  return errors;
}
