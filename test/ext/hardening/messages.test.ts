import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createBackground } from "../../../extension/background";
import { langItem, selectorReportsItem, sessionItem } from "../../../extension/background/store";

/**
 * Messages the background must not trust: from other extensions, web pages and look-alike origins;
 * page-only messages (the session, connections, the API relay) from a content script, which lives
 * inside a web page; and malformed messages from anyone. Each is answered with a refusal the UI can
 * show, before any network call, and leaves the stored session, language and reports as they were.
 */
const WORKER = "http://worker.test";
const ID = "test-extension-id";
const EXT = `chrome-extension://${ID}/`;
const PAGE = { id: ID, url: `${EXT}options.html` };
const CONTENT = { id: ID, url: "https://acme.retail.lightspeed.app/register/closures", tab: { id: 3 } };
const SESSION = { token: "tbs_secret_token_123", tenantId: "t1", storeName: "Acme", expiresAt: "2099-01-01T00:00:00Z" };
const STATUS = { type: "status", objects: [{ kind: "closure", posId: "c1" }] };

let fetch: ReturnType<typeof vi.fn>;
let handle: ReturnType<typeof createBackground>["handle"];
beforeEach(async () => {
  fakeBrowser.reset();
  await sessionItem.setValue(SESSION);
  await langItem.setValue("fr");
  await selectorReportsItem.setValue([
    { selector: "closureLink", feature: "closure-badges", path: "/register/closures", at: "2026-10-31T00:00:00Z" },
  ]);
  fetch = vi.fn(async () => Response.json({ objects: [] }));
  handle = createBackground({ workerUrl: WORKER, fetch: fetch as unknown as typeof globalThis.fetch }).handle;
});

async function expectRefused(
  message: unknown,
  sender: { id?: string; url?: string },
  code: "forbidden" | "bad_request",
) {
  const stored = [await sessionItem.getValue(), await langItem.getValue(), await selectorReportsItem.getValue()];
  const reply = await handle(message, sender);
  expect(reply).toMatchObject({ ok: false, error: { code } });
  const error = (reply as { error: { message: string; action: string } }).error;
  expect(error.message.length).toBeGreaterThan(5);
  expect(error.action.length).toBeGreaterThan(5);
  expect(JSON.stringify(reply)).not.toContain(SESSION.token);
  expect(fetch).not.toHaveBeenCalled();
  expect([await sessionItem.getValue(), await langItem.getValue(), await selectorReportsItem.getValue()]).toEqual(
    stored,
  );
}

describe("senders that are not this extension's own contexts", () => {
  const STRANGERS: [string, { id?: string; url?: string }][] = [
    ["another extension", { id: "other-extension", url: CONTENT.url }],
    ["no sender id at all", { url: CONTENT.url }],
    ["a web page", { id: ID, url: "https://evil.example/" }],
    [
      "a look-alike host ending in the back office's name",
      { id: ID, url: "https://acme.retail.lightspeed.app.evil.example/register/closures" },
    ],
    [
      "the back office's name in the path",
      { id: ID, url: "https://evil.example/acme.retail.lightspeed.app/register/closures" },
    ],
    [
      "the back office's name in the fragment",
      { id: ID, url: "https://evil.example/#https://acme.retail.lightspeed.app" },
    ],
    ["the back office over plain http", { id: ID, url: "http://acme.retail.lightspeed.app/register/closures" }],
    ["a look-alike extension origin", { id: ID, url: `chrome-extension://${ID}.evil/options.html` }],
    ["a data: URL", { id: ID, url: "data:text/html,<script>chrome.runtime.sendMessage({})</script>" }],
    ["a file: URL", { id: ID, url: "file:///home/merchant/closures.html" }],
    ["no URL", { id: ID }],
    ["an unparseable URL", { id: ID, url: "::::" }],
  ];
  it.each(STRANGERS)("%s: forbidden", async (_name, sender) => {
    await expectRefused(STATUS, sender, "forbidden");
  });
});

describe("page-only messages from a content script (it runs inside a web page)", () => {
  const PAGE_ONLY: [string, unknown][] = [
    ["read the state", { type: "state" }],
    ["change the language", { type: "setLang", lang: "en" }],
    ["start a POS connection", { type: "connectPos" }],
    ["start a QBO connection", { type: "connectQbo" }],
    ["complete a connection with a planted code", { type: "completeConnect", hash: "#code=planted-code-0123456789" }],
    ["disconnect the POS", { type: "disconnect", system: "pos" }],
    ["export the audit trail", { type: "auditCsv" }],
    ["call the API relay", { type: "api", route: "me" }],
    ["save mappings through the relay", { type: "api", route: "saveMappings", body: { version: 1, mappings: {} } }],
  ];
  it.each(PAGE_ONLY)("%s: forbidden", async (_name, message) => {
    await expectRefused(message, CONTENT, "forbidden");
  });
});

describe("malformed messages, even from trusted contexts", () => {
  const polluted = JSON.parse(
    '{"type":"status","objects":[{"kind":"closure","posId":"x"}],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  ) as unknown;
  const MALFORMED: [string, unknown, { id?: string; url?: string }][] = [
    ["a string", "status", CONTENT],
    ["null", null, CONTENT],
    ["a number", 42, CONTENT],
    ["an array", [STATUS], CONTENT],
    ["no type", { objects: STATUS.objects }, CONTENT],
    ["an unknown type", { type: "exfiltrate" }, CONTENT],
    ["type __proto__", { type: "__proto__" }, CONTENT],
    ["status of no objects", { type: "status", objects: [] }, CONTENT],
    [
      "status of 501 objects",
      { type: "status", objects: Array.from({ length: 501 }, (_, i) => ({ kind: "closure", posId: `c${i}` })) },
      CONTENT,
    ],
    ["an object of an unknown kind", { type: "status", objects: [{ kind: "everything", posId: "1" }] }, CONTENT],
    ["a 201-character id", { type: "send", object: { kind: "purchase_order", posId: "x".repeat(201) } }, CONTENT],
    ["send without its object", { type: "send" }, CONTENT],
    [
      "counted totals for an empty closure id",
      { type: "counted", closureId: "", totals: { payments: [{ name: "Cash", countedMinor: 1 }] } },
      CONTENT,
    ],
    [
      "counted totals in fractional cents",
      { type: "counted", closureId: "c1", totals: { payments: [{ name: "Cash", countedMinor: 1.5 }] } },
      CONTENT,
    ],
    [
      "counted totals for 51 payment types",
      {
        type: "counted",
        closureId: "c1",
        totals: { payments: Array.from({ length: 51 }, (_, i) => ({ name: `P${i}`, countedMinor: 1 })) },
      },
      CONTENT,
    ],
    [
      "a selector report with a 101-character name",
      { type: "selectorReport", report: { selector: "s".repeat(101), feature: "f", path: "/", at: "now" } },
      CONTENT,
    ],
    [
      "a selector report with a 301-character path",
      { type: "selectorReport", report: { selector: "s", feature: "f", path: `/${"p".repeat(300)}`, at: "now" } },
      CONTENT,
    ],
    ["options opened at a javascript: section", { type: "openOptions", section: "javascript:alert(1)" }, CONTENT],
    [
      "a backfill start that is no calendar day",
      { type: "openOptions", section: "backfill", backfillFrom: "2026-02-30" },
      CONTENT,
    ],
    [
      "a backfill start carrying more than a date",
      { type: "openOptions", section: "backfill", backfillFrom: "2026-10-01#connections" },
      CONTENT,
    ],
    ["an unknown language", { type: "setLang", lang: "xx" }, PAGE],
    ["the relay to a connect route", { type: "api", route: "posStart", body: {} }, PAGE],
    ["the relay to a route that does not exist", { type: "api", route: "dropDatabase" }, PAGE],
    ["a relay query value of 201 characters", { type: "api", route: "audit", query: { posId: "q".repeat(201) } }, PAGE],
  ];
  it.each(MALFORMED)("%s: bad_request", async (_name, message, sender) => {
    await expectRefused(message, sender, "bad_request");
  });

  it("a message carrying __proto__ keys pollutes nothing", async () => {
    const reply = await handle(polluted, CONTENT);
    expect(reply.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});
