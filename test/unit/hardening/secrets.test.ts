import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { timingSafeEqual } from "../../../worker/lib/crypto";
import { createLogger, redact } from "../../../worker/lib/log";

/**
 * The two controls that cannot be seen from outside the Worker: every secret comparison goes through
 * the constant-time compare (so a webhook signature, a webhook secret, the operator's token or the
 * handoff's nonce cannot be guessed byte by byte from response times), and the log writer masks every
 * secret-shaped value whatever a caller hands it (the Worker-level scan is in
 * test/worker/hardening/security.test.ts).
 */
const ROOT = join(__dirname, "../../..");
const source = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** The text of a top-level function (up to the next top-level declaration). */
function fn(file: string, name: string): string {
  const text = source(file);
  const start = text.search(new RegExp(`export (async )?function ${name}\\b`));
  expect(start, `${name} in ${file}`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n(export |function |const |async function )/);
  return end < 0 ? rest : rest.slice(0, end);
}

describe("secret comparisons are constant-time", () => {
  const SITES: [file: string, fn: string][] = [
    ["worker/pos/webhooks.ts", "signatureValid"],
    ["worker/pos/webhooks.ts", "secretMatches"],
    ["worker/routes/operator.ts", "isOperator"],
    ["worker/pos/connect.ts", "exchangeHandoff"],
  ];
  it.each(SITES)("%s %s compares with timingSafeEqual and never with === on the secret", (file, name) => {
    const body = fn(file, name);
    expect(body).toContain("timingSafeEqual(");
    // "x !== null" is a presence check, not a comparison of secret bytes
    expect(body).not.toMatch(
      /\b\w*(hash|signature|hex|token|nonce|secret)\w*\s*[!=]==?\s*(?!null\b|undefined\b)[\w"'`]/i,
    );
    expect(body).not.toMatch(/[\w"'`)\]]\s*[!=]==?\s*\w*(hash|signature|hex|token|nonce|secret)\w*\b/i);
  });

  it("timingSafeEqual has no early exit: one loop over the longer input, one return", () => {
    const body = timingSafeEqual.toString();
    expect(body.match(/\breturn\b/g)).toHaveLength(1);
    expect(body).toMatch(/for \(/);
    expect(body).not.toMatch(/\bbreak\b|\bif \(/);
  });

  it.each([
    ["equal", "a".repeat(64), "a".repeat(64), true],
    ["first byte differs", `b${"a".repeat(63)}`, "a".repeat(64), false],
    ["last byte differs", `${"a".repeat(63)}b`, "a".repeat(64), false],
    ["a prefix of the other", "a".repeat(63), "a".repeat(64), false],
    ["both empty", "", "", true],
    ["one empty", "", "a", false],
    ["same characters, other case", "ABCDEF", "abcdef", false],
    ["Unicode alike, bytes not (NFC vs NFD)", "é", "e\u0301", false],
    ["a NUL byte appended", "abc", "abc\u0000", false],
  ] as const)("timingSafeEqual: %s", (_name, x, y, equal) => {
    expect(timingSafeEqual(x, y)).toBe(equal);
    expect(timingSafeEqual(y, x)).toBe(equal);
  });
});

describe("the log writer masks secrets whatever it is handed", () => {
  const SESSION = `tbs_${"Q".repeat(43)}`;
  const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ";
  const CASES: [name: string, value: unknown, secret: string][] = [
    ["a bearer header in a message", "GET /v3 with Authorization: Bearer eyJraWQiOi.abc.def", "eyJraWQiOi.abc.def"],
    ["basic credentials", "token endpoint said no to Basic dGlsbGJyaWRnZTpzZWNyZXQ=", "dGlsbGJyaWRnZTpzZWNyZXQ="],
    ["a JWT anywhere", `id_token was ${JWT}`, JWT],
    ["a session token", `session ${SESSION} expired`, SESSION],
    [
      "an OAuth code in a URL",
      "callback https://w/auth/qbo/callback?state=abcdefgh&code=AB11-0123456789&realmId=1",
      "AB11-0123456789",
    ],
    ["a state in a URL", "callback https://w/auth/pos/callback?code=x&state=st4te-value-123", "st4te-value-123"],
    ["a refresh token in a form body", "grant_type=refresh_token&refresh_token=RT1-abcdefghijk", "RT1-abcdefghijk"],
    ["a value under a secret-looking key", { access_token: "at-0123456789" }, "at-0123456789"],
    ["nested three deep", { a: { b: { client_secret: "cs-0123456789" } } }, "cs-0123456789"],
    ["in an array of objects", [{ refreshToken: "rt-0123456789" }], "rt-0123456789"],
    ["the authorization header object", { headers: { Authorization: "anything-0123456789" } }, "anything-0123456789"],
    ["an OAuth code under `code`", { code: "AB11-oauth-code-0123" }, "AB11-oauth-code-0123"],
    ["a password", { password: "hunter2-but-longer" }, "hunter2-but-longer"],
    ["a cookie", { cookie: "sid=0123456789abcdef" }, "sid=0123456789abcdef"],
    ["a webhook signature", { signature: "0123456789abcdef0123456789abcdef" }, "0123456789abcdef0123456789abcdef"],
    [
      "an Error whose message carries a token",
      new Error(`refresh failed for Bearer zzzz-0123456789`),
      "zzzz-0123456789",
    ],
  ];
  it.each(CASES)("%s", (_name, value, secret) => {
    const lines: string[] = [];
    const log = createLogger("debug", {}, (line) => void lines.push(line));
    log.error("something happened", { detail: value });
    log.child({ tenant: "demo" }).debug(typeof value === "string" ? value : "with data", { value });
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it("keeps what is not secret: Tillbridge's own error codes under `code`, ids, amounts", () => {
    expect(redact({ code: "qbo_throttled", tenant: "demo", amountMinor: 1250, closureId: "a3925497" })).toEqual({
      code: "qbo_throttled",
      tenant: "demo",
      amountMinor: 1250,
      closureId: "a3925497",
    });
  });

  it("stops at a sane depth instead of walking a cyclic or hostile structure forever", () => {
    let deep: Record<string, unknown> = { token: "deep-secret-0123456789" };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    const text = JSON.stringify(redact(deep));
    expect(text).toContain("[deep]");
    expect(text).not.toContain("deep-secret-0123456789");
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(JSON.stringify(redact(cyclic))).toContain("[deep]");
  });
});
