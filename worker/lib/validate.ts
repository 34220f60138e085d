import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { TillbridgeError } from "../../shared/errors";

/** Field path → message, as the API error's `fields`. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "(body)";
    fields[path] ??= issue.message;
  }
  return fields;
}

export function badRequestFrom(error: z.ZodError, what = "request"): TillbridgeError {
  const fields = zodFields(error);
  // a rule of our own (a refinement) says what is wrong in words; zod's type errors are named only
  const worded = new Set(
    error.issues.filter((i) => i.code === "custom").map((i) => i.path.map(String).join(".") || "(body)"),
  );
  const names = Object.keys(fields)
    .slice(0, 5)
    .map((k) => (worded.has(k) ? `${k} ${fields[k]}` : k))
    .join(", ");
  return new TillbridgeError("bad_request", `${what}: ${names}`, { fields });
}

/**
 * A zod validator for a Hono route that keeps the typed client (hc) working. A JSON body must be
 * sent as application/json; every invalid field is named in the error.
 */
export function valid<Target extends keyof ValidationTargets, S extends z.ZodType>(target: Target, schema: S) {
  return validator(target, async (value, c) => {
    if (target === "json") {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/json\b/i.test(type)) throw new TillbridgeError("unsupported_media_type", "application/json");
    }
    const parsed = await schema.safeParseAsync(value);
    if (!parsed.success) throw badRequestFrom(parsed.error, target === "json" ? "body" : target);
    return parsed.data as z.output<S>;
  });
}
