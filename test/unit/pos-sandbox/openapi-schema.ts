import { readFileSync } from "node:fs";
import { referencePath } from "../../support/reference";

/**
 * A small checker of JSON against the POS's OpenAPI 3.0 schemas (../shared/reference/
 * lightspeed-x-series-openapi.json): $ref, allOf/oneOf/anyOf, type, nullable, enum, required,
 * properties, items, formats uuid and date-time, string lengths and number bounds. It is stricter
 * than OpenAPI in one way, on purpose: a property the schema does not declare is an error (unless the
 * schema allows additional properties), so the sandbox cannot invent fields. Kept in its own file so
 * it can be merged with any other checker of the same spec.
 */

interface Schema {
  $ref?: string;
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
  format?: string;
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Spec {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

const SPEC_FILE = referencePath("lightspeed-x-series-openapi.json"); // tests reading it use describeWithReference
let spec: Spec | undefined;
const load = (): Spec => {
  spec ??= JSON.parse(readFileSync(SPEC_FILE, "utf8")) as Spec;
  return spec;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function resolve(s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace("#/components/schemas/", "");
  const found = load().components.schemas[name];
  if (!found) throw new Error(`no schema ${s.$ref}`);
  return resolve(found);
}

function typeError(s: Schema, v: unknown): string | null {
  switch (s.type) {
    case "object":
      return v !== null && typeof v === "object" && !Array.isArray(v) ? null : "is not an object";
    case "array":
      return Array.isArray(v) ? null : "is not an array";
    case "string":
      return typeof v === "string" ? null : "is not a string";
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? null : "is not a number";
    case "integer":
      return Number.isInteger(v) ? null : "is not an integer";
    case "boolean":
      return typeof v === "boolean" ? null : "is not a boolean";
    default:
      return null;
  }
}

function checkString(s: Schema, v: string, at: string, errors: string[]) {
  if (s.format === "uuid" && !UUID.test(v)) errors.push(`${at}: "${v}" is not a uuid`);
  if (s.format === "date-time" && !DATE_TIME.test(v)) errors.push(`${at}: "${v}" is not a date-time`);
  if (s.maxLength !== undefined && v.length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
  if (s.minLength !== undefined && v.length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`);
}

function checkObject(s: Schema, v: Record<string, unknown>, at: string, errors: string[]) {
  for (const key of s.required ?? []) if (!(key in v)) errors.push(`${at}.${key}: required, missing`);
  for (const [key, value] of Object.entries(v)) {
    const prop = s.properties?.[key];
    if (prop) check(prop, value, `${at}.${key}`, errors);
    else if (typeof s.additionalProperties === "object") check(s.additionalProperties, value, `${at}.${key}`, errors);
    else if (s.additionalProperties !== true) errors.push(`${at}.${key}: not declared by the schema`);
  }
}

function check(raw: Schema, v: unknown, at: string, errors: string[]): void {
  const s = resolve(raw);
  if (s.allOf) for (const part of s.allOf) check(part, v, at, errors);
  for (const options of [s.oneOf, s.anyOf]) {
    if (options && !options.some((o) => schemaErrorsOf(o, v, at).length === 0))
      errors.push(`${at}: matches none of its alternatives`);
  }
  if (v === null) {
    if (!s.nullable && !s.enum?.includes(null)) errors.push(`${at}: null is not allowed`);
    return;
  }
  const wrongType = typeError(s, v);
  if (wrongType) {
    errors.push(`${at}: ${JSON.stringify(v)?.slice(0, 60)} ${wrongType}`);
    return;
  }
  if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
  if (typeof v === "string") checkString(s, v, at, errors);
  if (typeof v === "number") {
    if (s.maximum !== undefined && v > s.maximum) errors.push(`${at}: above ${s.maximum}`);
    if (s.minimum !== undefined && v < s.minimum) errors.push(`${at}: below ${s.minimum}`);
  }
  if (Array.isArray(v) && s.items) for (const [i, item] of v.entries()) check(s.items, item, `${at}[${i}]`, errors);
  if (s.type === "object" || s.properties) checkObject(s, v as Record<string, unknown>, at, errors);
}

function schemaErrorsOf(s: Schema, v: unknown, at: string): string[] {
  const errors: string[] = [];
  check(s, v, at, errors);
  return errors;
}

/** Errors of `value` against the component schema `name` (e.g. "Consignment"); [] when it conforms. */
export function schemaErrors(name: string, value: unknown): string[] {
  return schemaErrorsOf({ $ref: `#/components/schemas/${name}` }, value, name);
}

/** Errors of a response body against what the spec says `method path` answers with `status`. */
export function responseErrors(method: string, path: string, status: number, value: unknown): string[] {
  const op = load().paths[path]?.[method.toLowerCase()];
  const schema = op?.responses?.[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) return [`the spec has no ${status} JSON response for ${method} ${path}`];
  return schemaErrorsOf(schema, value, `${method} ${path}`);
}
