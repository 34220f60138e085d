#!/usr/bin/env node
// Generates sandbox/qbo/schema.generated.ts from Intuit's own XSD (../shared/reference/qbo-xsd), so the
// QBO sandbox rejects exactly the properties Intuit's schema does not know. Plain Node, no dependencies:
// a small XML tokenizer, then complexType/simpleType resolution (extension chains flattened).
//
//   node scripts/gen-qbo-schema.mjs [--xsd <dir>] [--out <file>] [--check]
//
// --check exits 1 when the committed file differs from what would be generated.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const argOf = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const XSD_DIR = resolve(argOf("--xsd") ?? join(here, "../../shared/reference/qbo-xsd"));
const OUT = resolve(argOf("--out") ?? join(here, "../sandbox/qbo/schema.generated.ts"));
const FILES = [
  "IntuitBaseTypes.xsd",
  "IntuitNamesTypes.xsd",
  "Finance.xsd",
  "SalesTax.xsd",
  "IntuitRestServiceDef.xsd",
];

/** The entities the sandbox serves; their types and everything reachable from them go in the table. */
export const ROOTS = [
  "Account",
  "Item",
  "Customer",
  "Vendor",
  "Employee",
  "TaxCode",
  "TaxRate",
  "TaxAgency",
  "Class",
  "Department",
  "PaymentMethod",
  "Term",
  "Invoice",
  "SalesReceipt",
  "Payment",
  "CreditMemo",
  "RefundReceipt",
  "JournalEntry",
  "Bill",
  "VendorCredit",
  "Deposit",
  "CompanyInfo",
  "Preferences",
];

// ---- a minimal XML parser: elements and attributes; text, comments and annotations are dropped ----
function parseXml(text) {
  text = text.replace(/<!--[\s\S]*?-->/g, "").replace(/<\?[\s\S]*?\?>/g, "");
  const root = { name: "#root", attrs: {}, children: [] };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (let m; (m = tag.exec(text)); ) {
    const [, closing, name, rawAttrs, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`XSD: </${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs = {};
    for (const a of rawAttrs.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = a[2] ?? a[3];
    const node = { name, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (stack.length !== 1) throw new Error("XSD: unbalanced document");
  return root;
}

const local = (qname) => qname.replace(/^xs:/, "");
const kids = (node, name) => node.children.filter((c) => c.name === `xs:${name}`);

// ---- collect named types and groups from all files ----
const complex = new Map();
const simple = new Map();
const groups = new Map();
for (const f of FILES) {
  const schema = parseXml(readFileSync(join(XSD_DIR, f), "utf8")).children.find((c) => c.name === "xs:schema");
  if (!schema) throw new Error(`${f}: no xs:schema`);
  for (const c of schema.children) {
    if (c.name === "xs:complexType") complex.set(c.attrs.name, c);
    else if (c.name === "xs:simpleType") simple.set(c.attrs.name, c);
    else if (c.name === "xs:group") groups.set(c.attrs.name, c);
  }
}

const PRIMITIVES = {
  string: "s",
  anyURI: "s",
  token: "s",
  normalizedString: "s",
  boolean: "b",
  decimal: "n",
  double: "n",
  float: "n",
  int: "i",
  integer: "i",
  long: "i",
  short: "i",
  positiveInteger: "i",
  nonNegativeInteger: "i",
  date: "d",
  dateTime: "t",
  time: "s",
  anyType: "a",
};

const enums = new Map();
/** The table code of a type reference: a primitive letter, "E:<Enum>", or a complex type's name. */
function typeCode(qname, pending) {
  if (!qname) return "a";
  const name = local(qname);
  if (qname.startsWith("xs:")) {
    const p = PRIMITIVES[name];
    if (!p) throw new Error(`unknown primitive ${qname}`);
    return p;
  }
  if (simple.has(name)) return simpleCode(name, simple.get(name));
  if (complex.has(name)) {
    pending.add(name);
    return name;
  }
  throw new Error(`unknown type ${qname}`);
}

function simpleCode(name, node) {
  const restriction = kids(node, "restriction")[0];
  if (!restriction) return "s"; // unions and lists: accept text
  const values = kids(restriction, "enumeration").map((e) => e.attrs.value);
  if (values.length > 0) {
    enums.set(name, values);
    return `E:${name}`;
  }
  return typeCode(restriction.attrs.base, new Set());
}

/** Properties of a complex type, base types' first, as { name: code }. */
function propsOf(name, pending, seen = new Set()) {
  if (seen.has(name)) throw new Error(`extension cycle at ${name}`);
  seen.add(name);
  const node = complex.get(name);
  if (!node) throw new Error(`unknown complex type ${name}`);
  const out = {};
  const walk = (n) => {
    for (const c of n.children) {
      switch (c.name) {
        case "xs:sequence":
        case "xs:choice":
        case "xs:all":
          walk(c);
          break;
        case "xs:group": {
          const g = groups.get(c.attrs.ref);
          if (!g) throw new Error(`unknown group ${c.attrs.ref}`);
          walk(g);
          break;
        }
        case "xs:element": {
          const el = c.attrs.ref ? { ...c.attrs, name: c.attrs.ref } : c.attrs;
          let code = el.type ? typeCode(el.type, pending) : inlineCode(c, pending);
          if (el.maxOccurs && el.maxOccurs !== "1" && el.maxOccurs !== "0") code += "[]";
          out[el.name] = code;
          break;
        }
        case "xs:attribute":
          out[c.attrs.name] = typeCode(c.attrs.type ?? "xs:string", pending);
          break;
        case "xs:complexContent":
        case "xs:simpleContent":
          walk(c);
          break;
        case "xs:extension": {
          const base = c.attrs.base;
          if (complex.has(local(base))) Object.assign(out, propsOf(local(base), pending, seen));
          else out.value = typeCode(base, pending); // simpleContent: JSON carries the text as "value"
          walk(c);
          break;
        }
        case "xs:restriction":
          if (complex.has(local(c.attrs.base))) Object.assign(out, propsOf(local(c.attrs.base), pending, seen));
          walk(c);
          break;
        default:
          break; // annotations, any, anyAttribute
      }
    }
  };
  walk(node);
  return out;
}

function inlineCode(elementNode, _pending) {
  const st = kids(elementNode, "simpleType")[0];
  if (st) return simpleCode(`${elementNode.attrs.name}Inline`, st);
  if (kids(elementNode, "complexType")[0])
    throw new Error(`inline complexType at ${elementNode.attrs.name} is not supported`);
  return "a";
}

// ---- reachability from the roots ----
const types = new Map();
const queue = new Set(ROOTS);
while (queue.size > 0) {
  const [name] = queue;
  queue.delete(name);
  if (types.has(name)) continue;
  const pending = new Set();
  types.set(name, propsOf(name, pending));
  for (const p of pending) if (!types.has(p)) queue.add(p);
}
// IntuitAnyType is an open extension point: anything goes inside it.
if (types.has("IntuitAnyType")) types.set("IntuitAnyType", { "*": "a" });

// ---- emit ----
const sorted = (m) => [...m.keys()].sort();
const lines = [];
lines.push(
  "// Generated by scripts/gen-qbo-schema.mjs from Intuit's QBO XSD (../shared/reference/qbo-xsd). Do not edit;",
);
lines.push("// re-run `node scripts/gen-qbo-schema.mjs`. Codes: s string, b boolean, n decimal, i integer, d date,");
lines.push("// t dateTime, a anything, E:<Enum> an enumeration, <Type> a complex type; a trailing [] is an array.");
lines.push("");
lines.push(`export const SCHEMA_ROOTS = ${JSON.stringify(ROOTS)} as const;`);
lines.push("");
lines.push("export const TYPES: Record<string, Record<string, string>> = {");
for (const name of sorted(types)) lines.push(`  ${JSON.stringify(name)}: ${JSON.stringify(types.get(name))},`);
lines.push("};");
lines.push("");
const usedEnums = new Set();
for (const t of types.values())
  for (const c of Object.values(t)) if (c.startsWith("E:")) usedEnums.add(c.slice(2).replace(/\[\]$/, ""));
lines.push("export const ENUMS: Record<string, readonly string[]> = {");
for (const name of [...usedEnums].sort()) lines.push(`  ${JSON.stringify(name)}: ${JSON.stringify(enums.get(name))},`);
lines.push("};");
lines.push("");
const output = lines.join("\n");

if (args.includes("--check")) {
  const current = existsSync(OUT) ? readFileSync(OUT, "utf8") : "";
  if (current !== output) {
    console.error(`${OUT} is out of date: run node scripts/gen-qbo-schema.mjs`);
    process.exit(1);
  }
  console.log(`${OUT} is current (${types.size} types, ${usedEnums.size} enums)`);
} else {
  writeFileSync(OUT, output);
  console.log(`wrote ${OUT}: ${types.size} types, ${usedEnums.size} enums, ${output.length} bytes`);
}
