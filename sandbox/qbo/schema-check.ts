/**
 * Checks a request body against Intuit's schema (schema.generated.ts, generated from the XSD): every
 * property must exist on its type at every depth, enumerations must hold one of their values, and
 * primitives must have the right JSON type. QBO rejects what it does not know with 2010; so does this.
 */
import { F } from "./faults";
import { ENUMS, TYPES } from "./schema.generated";

const DATE = /^\d{4}-\d{2}-\d{2}([+-]\d{2}:\d{2}|Z)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function bad(path: string, why: string): never {
  throw F.unsupportedProperty(path, `Property Name:${path} ${why} specified is unsupported or invalid`);
}

export function checkSchema(body: unknown, typeName: string, path = ""): void {
  const type = TYPES[typeName];
  if (!type) throw new Error(`no schema for ${typeName}`);
  if (typeof body !== "object" || body === null || Array.isArray(body)) bad(path || typeName, "must be an object");
  if (type["*"]) return;
  for (const [key, value] of Object.entries(body)) {
    const at = path ? `${path}.${key}` : key;
    const code = type[key];
    if (code === undefined) {
      throw F.unsupportedProperty(
        key,
        `Property Name:Unrecognized field "${key}" (class com.intuit.schema.finance.v3.${typeName}), not marked as ignorable (at ${at}) specified is unsupported or invalid`,
      );
    }
    checkValue(value, code, at);
  }
}

function checkValue(value: unknown, code: string, at: string): void {
  if (value === null) return; // JSON null = not given
  if (code.endsWith("[]")) {
    if (!Array.isArray(value)) bad(at, "must be an array");
    value.forEach((v, i) => {
      checkValue(v, code.slice(0, -2), `${at}[${i}]`);
    });
    return;
  }
  switch (code) {
    case "a":
      return;
    case "s":
      if (typeof value !== "string") bad(at, "must be a string");
      return;
    case "b":
      if (typeof value !== "boolean") bad(at, "must be a boolean");
      return;
    case "n":
      if (!(typeof value === "number" && Number.isFinite(value)) && !(typeof value === "string" && DECIMAL.test(value)))
        bad(at, "must be a decimal number");
      return;
    case "i":
      if (
        !(typeof value === "number" && Number.isInteger(value)) &&
        !(typeof value === "string" && INTEGER.test(value))
      )
        bad(at, "must be an integer");
      return;
    case "d":
      if (typeof value !== "string" || !DATE.test(value)) bad(at, "must be a date (yyyy-MM-dd)");
      return;
    case "t":
      if (typeof value !== "string" || !DATETIME.test(value)) bad(at, "must be a dateTime");
      return;
  }
  if (code.startsWith("E:")) {
    const values = ENUMS[code.slice(2)] ?? [];
    if (typeof value !== "string" || !values.includes(value)) throw F.invalidEnum(at, value);
    return;
  }
  checkSchema(value, code, at);
}
