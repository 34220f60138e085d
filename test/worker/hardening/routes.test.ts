import { beforeAll, describe, expect, it } from "vitest";
import { Routes, type RouteName } from "../../../shared/api";
import { expectRefusal, type Refusal } from "./expect";
import { expectUnchanged, picture } from "./snapshot";
import { createWorld, EXTENSION, type World } from "./world";

/**
 * Every Worker route meets bad input: bodies that are not JSON, not objects, of the wrong content
 * type or too large; fields missing, mistyped or out of range; ids nobody has; paths and methods
 * that do not exist. Each case asserts the answer (status, code, the words a person reads, the
 * field at fault) and that nothing Tillbridge keeps changed: every D1 row of both tenants, the KV
 * cache and both QBO companies' books are as they were.
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
}, 120_000);

interface Case extends Refusal {
  name: string;
  method?: string;
  path: string;
  /** An object is sent as JSON; a string as it is */
  body?: unknown;
  headers?: Record<string, string>;
  /** Who asks: tenant b's session (default) or nobody */
  anonymous?: boolean;
  /** The request may read the asker's own store (register polling): its POS cursors may move */
  discovery?: boolean;
}

async function run(c: Case): Promise<void> {
  const before = await picture(world);
  const headers = {
    ...(c.body !== undefined && c.headers?.["content-type"] === undefined
      ? { "content-type": "application/json" }
      : {}),
    ...c.headers,
  };
  const res = await world.api(c.anonymous ? null : world.b, c.path, {
    method: c.method ?? (c.body !== undefined ? "POST" : "GET"),
    headers,
    ...(c.body !== undefined ? { body: c.body } : {}),
  });
  expectRefusal(res, c);
  const own = new Set([
    `pos_objects/${world.b.id}`,
    `cursors/${world.b.id}`,
    `closures/${world.b.id}`,
    `kv/pos-ref:${world.b.id}`,
  ]);
  // discovery may also move the asker's own discovery marks (one per kind) and its tenant row's clock
  const ownDiscovery = (where: string) =>
    own.has(where) || where === `tenants/${world.b.id}` || where.startsWith(`kv/disc:${world.b.id}:`);
  expectUnchanged(before, await picture(world), (where) => c.discovery === true && ownDiscovery(where));
}

// ---- generated: every route with a body, four ways of sending something that is not its body ----

const bodyRoutes = (Object.keys(Routes) as RouteName[]).filter((r) => Routes[r].request !== null);
const pathOf = (r: RouteName) => Routes[r].path.replace(":id", "nope");
const anonymousRoute = (r: RouteName) => !Routes[r].session;
const firstMissing = (r: RouteName) => {
  const parsed = Routes[r].request!.safeParse({});
  return parsed.success ? undefined : String(parsed.error.issues[0]!.path[0]);
};

const FRAMING: Case[] = bodyRoutes.flatMap((r): Case[] => {
  const base = { method: Routes[r].method, path: pathOf(r), anonymous: anonymousRoute(r) };
  return [
    {
      ...base,
      name: `${r}: JSON sent as text/plain`,
      body: "{}",
      headers: { "content-type": "text/plain" },
      status: 415,
      code: "unsupported_media_type",
      words: /must be sent as application\/json/,
    },
    {
      ...base,
      name: `${r}: broken JSON`,
      body: '{"objects": [',
      status: 400,
      code: "bad_request",
      words: /Malformed JSON/,
    },
    {
      ...base,
      name: `${r}: a JSON array`,
      body: "[]",
      status: 400,
      code: "bad_request",
      words: /not valid: body/,
      field: "(body)",
    },
    {
      ...base,
      name: `${r}: an empty object`,
      body: {},
      status: 400,
      code: "bad_request",
      words: /not valid: body/,
      ...(firstMissing(r) ? { field: firstMissing(r)! } : {}),
    },
  ];
});

// ---- by hand: what each route's fields must not be ------------------------------------------------

const ref = (posId: unknown, kind: unknown = "closure") => ({ kind, posId });
const many = (n: number) => Array.from({ length: n }, (_, i) => ref(`c-${i}`));
const BAD_REQUEST = { status: 400, code: "bad_request" } as const;
const NOT_FOUND = { status: 404, code: "not_found" } as const;
const GONE = { status: 404, code: "pos_not_found" } as const;

const FIELDS: Case[] = [
  // framing beyond JSON
  {
    name: "status: 2 MiB body",
    path: "/api/status",
    body: `{"objects":[${'{"kind":"closure","posId":"x"},'.repeat(70_000)}]}`,
    status: 413,
    code: "payload_too_large",
    words: /too large/,
  },
  {
    name: "session exchange: 20 KiB body",
    path: "/auth/session",
    anonymous: true,
    body: { code: "x".repeat(20_000), nonce: "y".repeat(30) },
    status: 413,
    code: "payload_too_large",
    words: /too large/,
  },
  {
    name: "send: form-encoded",
    path: "/api/sync/send",
    body: "kind=closure&posId=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
    words: /application\/json/,
  },
  {
    name: "send: no content type",
    path: "/api/sync/send",
    body: '{"kind":"closure","posId":"x"}',
    headers: { "content-type": "" },
    status: 415,
    code: "unsupported_media_type",
    words: /application\/json/,
  },
  {
    name: "send: JSON null",
    path: "/api/sync/send",
    body: "null",
    ...BAD_REQUEST,
    words: /not valid: body/,
    field: "(body)",
  },
  // status
  {
    name: "status: objects is text",
    path: "/api/status",
    body: { objects: "closure:1" },
    ...BAD_REQUEST,
    words: /body: objects/,
    field: "objects",
  },
  {
    name: "status: no objects",
    path: "/api/status",
    body: { objects: [] },
    ...BAD_REQUEST,
    words: /body: objects/,
    field: "objects",
  },
  {
    name: "status: 501 objects",
    path: "/api/status",
    body: { objects: many(501) },
    ...BAD_REQUEST,
    words: /body: objects/,
    field: "objects",
  },
  {
    name: "status: unknown kind (SQL in it)",
    path: "/api/status",
    body: { objects: [ref("1", "closure'; DROP TABLE sync_items; --")] },
    ...BAD_REQUEST,
    words: /objects\.0\.kind/,
    field: "objects.0.kind",
  },
  {
    name: "status: empty posId",
    path: "/api/status",
    body: { objects: [ref("")] },
    ...BAD_REQUEST,
    words: /objects\.0\.posId/,
    field: "objects.0.posId",
  },
  {
    name: "status: 201-character posId",
    path: "/api/status",
    body: { objects: [ref("x".repeat(201))] },
    ...BAD_REQUEST,
    words: /objects\.0\.posId/,
    field: "objects.0.posId",
  },
  {
    name: "status: posId a number",
    path: "/api/status",
    body: { objects: [ref(42)] },
    ...BAD_REQUEST,
    words: /objects\.0\.posId/,
    field: "objects.0.posId",
  },
  // send, retry, resolve
  {
    name: "send: unknown kind",
    path: "/api/sync/send",
    body: ref("1", "invoice"),
    ...BAD_REQUEST,
    words: /body: kind/,
    field: "kind",
  },
  {
    name: "send: posId null",
    path: "/api/sync/send",
    body: ref(null),
    ...BAD_REQUEST,
    words: /body: posId/,
    field: "posId",
  },
  {
    name: "send: unknown closure",
    path: "/api/sync/send",
    body: ref("nope"),
    ...NOT_FOUND,
    words: /closure nope is not known yet/,
  },
  {
    name: "send: unknown on-account sale",
    path: "/api/sync/send",
    body: ref("nope", "sale"),
    ...GONE,
    words: /no longer has this object/,
  },
  {
    name: "send: unknown purchase order",
    path: "/api/sync/send",
    body: ref("nope", "purchase_order"),
    ...GONE,
    words: /no longer has this object/,
  },
  {
    name: "send: unknown gift-card expiry",
    path: "/api/sync/send",
    body: ref("nope", "gift_card_expiry"),
    ...GONE,
    words: /gift card transaction nope/,
  },
  {
    name: "send: unknown store-credit issue",
    path: "/api/sync/send",
    body: ref("nope", "store_credit_issue"),
    ...GONE,
    words: /store credit transaction nope/,
  },
  {
    name: "send: a sale payment id without its sale",
    path: "/api/sync/send",
    body: ref("nope", "sale_payment"),
    ...BAD_REQUEST,
    words: /sale payment id nope/,
    field: "posId",
  },
  {
    name: "send: a payment of an unknown sale",
    path: "/api/sync/send",
    body: ref("nope:pay-1", "sale_payment"),
    ...GONE,
    words: /no longer has this object/,
  },
  {
    name: "retry: never sent",
    path: "/api/sync/retry",
    body: ref("nope"),
    ...NOT_FOUND,
    words: /closure nope has not been sent yet/,
  },
  {
    name: "resolve: unknown action",
    path: "/api/sync/resolve",
    body: { ...ref("nope"), action: "delete_everything" },
    ...BAD_REQUEST,
    words: /body: action/,
    field: "action",
  },
  {
    name: "resolve: never sent",
    path: "/api/sync/resolve",
    body: { ...ref("nope"), action: "post_in_open_period" },
    ...NOT_FOUND,
    words: /has not been sent yet/,
  },
  // mappings
  {
    name: "digest: an address that is not one",
    method: "PUT",
    path: "/api/digest",
    body: { enabled: true, recipient: "owner@", lang: "en" },
    ...BAD_REQUEST,
    words: /body: recipient/,
    field: "recipient",
  },
  {
    name: "digest: turned on with no address",
    method: "PUT",
    path: "/api/digest",
    body: { enabled: true, recipient: null, lang: "en" },
    ...BAD_REQUEST,
    words: /body: recipient/,
    field: "recipient",
  },
  {
    name: "digest: a language it does not speak",
    method: "PUT",
    path: "/api/digest",
    body: { enabled: false, recipient: null, lang: "de" },
    ...BAD_REQUEST,
    words: /body: lang/,
    field: "lang",
  },
  {
    name: "mappings: negative version",
    method: "PUT",
    path: "/api/mappings",
    body: { version: -1, mappings: {} },
    ...BAD_REQUEST,
    words: /body: version/,
    field: "version",
  },
  {
    name: "mappings: version as text",
    method: "PUT",
    path: "/api/mappings",
    body: { version: "1", mappings: {} },
    ...BAD_REQUEST,
    words: /body: version/,
    field: "version",
  },
  {
    name: "mappings: mappings not an object",
    method: "PUT",
    path: "/api/mappings",
    body: { version: 1, mappings: "all" },
    ...BAD_REQUEST,
    words: /body: mappings/,
    field: "mappings",
  },
  {
    name: "mappings: a stale version",
    method: "PUT",
    path: "/api/mappings",
    body: { version: 0, mappings: {} },
    status: 409,
    code: "conflict",
    words: /changed while you were working: mappings are at version 1, not 0/,
  },
  {
    name: "mappings options: reload=yes",
    path: "/api/mappings/options?reload=yes",
    ...BAD_REQUEST,
    words: /query: reload/,
    field: "reload",
  },
  // counted totals
  {
    name: "counted: no payments",
    path: "/api/closures/nope/counted",
    body: { payments: [] },
    ...BAD_REQUEST,
    words: /body: payments/,
    field: "payments",
  },
  {
    name: "counted: fractional cents",
    path: "/api/closures/nope/counted",
    body: { payments: [{ name: "Cash", countedMinor: 1.5 }] },
    ...BAD_REQUEST,
    words: /countedMinor/,
    field: "payments.0.countedMinor",
  },
  {
    name: "counted: cents as text",
    path: "/api/closures/nope/counted",
    body: { payments: [{ name: "Cash", countedMinor: "100" }] },
    ...BAD_REQUEST,
    words: /countedMinor/,
    field: "payments.0.countedMinor",
  },
  {
    name: "counted: 1e300 cents",
    path: "/api/closures/nope/counted",
    body: { payments: [{ name: "Cash", countedMinor: 1e300 }] },
    ...BAD_REQUEST,
    words: /countedMinor/,
    field: "payments.0.countedMinor",
  },
  {
    name: "counted: a nameless payment type",
    path: "/api/closures/nope/counted",
    body: { payments: [{ name: "", countedMinor: 100 }] },
    ...BAD_REQUEST,
    words: /payments\.0\.name/,
    field: "payments.0.name",
  },
  {
    name: "counted: 51 payment types",
    path: "/api/closures/nope/counted",
    body: { payments: Array.from({ length: 51 }, (_, i) => ({ name: `P${i}`, countedMinor: 1 })) },
    ...BAD_REQUEST,
    words: /body: payments/,
    field: "payments",
  },
  {
    name: "counted: unknown closure",
    path: "/api/closures/nope/counted",
    body: { payments: [{ name: "Cash", countedMinor: 100 }] },
    ...NOT_FOUND,
    words: /Not found: closure nope/,
    discovery: true,
  },
  {
    name: "counted: a 300-character closure id",
    path: `/api/closures/${"z".repeat(300)}/counted`,
    body: { payments: [{ name: "Cash", countedMinor: 100 }] },
    ...NOT_FOUND,
    words: /Not found: closure z+/,
    discovery: true,
  },
  // backfill
  {
    name: "backfill: month 13",
    path: "/api/backfill",
    body: { from: "2026-13-45", to: "2026-13-46" },
    ...BAD_REQUEST,
    words: /from not a calendar date/,
    field: "from",
  },
  {
    name: "backfill: February 30th",
    path: "/api/backfill",
    body: { from: "2026-02-30", to: "2026-03-02" },
    ...BAD_REQUEST,
    words: /from not a calendar date/,
    field: "from",
  },
  {
    name: "backfill: a date in words",
    path: "/api/backfill",
    body: { from: "yesterday", to: "2026-10-01" },
    ...BAD_REQUEST,
    words: /body: from/,
    field: "from",
  },
  {
    name: "backfill: to before from",
    path: "/api/backfill",
    body: { from: "2026-10-05", to: "2026-10-01" },
    ...BAD_REQUEST,
    words: /before the start of the range/,
    field: "to",
  },
  {
    name: "backfill: two years at once",
    path: "/api/backfill",
    body: { from: "2024-10-01", to: "2026-10-01" },
    ...BAD_REQUEST,
    words: /a year at a time/,
    field: "to",
  },
  {
    name: "backfill: unknown counted policy",
    path: "/api/backfill",
    body: { from: "2026-10-01", to: "2026-10-02", counted: "maybe" },
    ...BAD_REQUEST,
    words: /body: counted/,
    field: "counted",
  },
  {
    name: "backfill: pause with none running",
    path: "/api/backfill/pause",
    method: "POST",
    status: 409,
    code: "conflict",
    words: /no backfill is running/,
  },
  // re-send
  {
    name: "replace: a 41-character fromVersion",
    path: "/api/revisions/replace",
    body: { ...ref("x"), fromVersion: "9".repeat(41) },
    ...BAD_REQUEST,
    words: /fromVersion/,
    field: "fromVersion",
  },
  {
    name: "replace: never sent",
    path: "/api/revisions/replace",
    body: ref("nope"),
    ...NOT_FOUND,
    words: /has not been sent yet/,
    discovery: true,
  },
  {
    name: "diff: never sent",
    path: "/api/revisions/diff?kind=closure&posId=nope",
    ...NOT_FOUND,
    words: /has not been sent yet/,
  },
  {
    name: "diff: no posId",
    path: "/api/revisions/diff?kind=closure",
    ...BAD_REQUEST,
    words: /query: posId/,
    field: "posId",
  },
  // preview
  { name: "preview: no kind", path: "/api/preview?posId=1", ...BAD_REQUEST, words: /query: kind/, field: "kind" },
  {
    name: "preview: unknown kind",
    path: "/api/preview?kind=refund&posId=1",
    ...BAD_REQUEST,
    words: /query: kind/,
    field: "kind",
  },
  {
    name: "preview: 201-character posId",
    path: `/api/preview?kind=closure&posId=${"x".repeat(201)}`,
    ...BAD_REQUEST,
    words: /query: posId/,
    field: "posId",
  },
  {
    // no closure record: one the POS has not announced yet, or never had; Tillbridge cannot tell which
    name: "preview: unknown closure",
    path: "/api/preview?kind=closure&posId=nope",
    status: 404,
    code: "pos_not_read_yet",
    words: /has not read this from the Retail POS yet \(closure nope\)/,
    discovery: true,
  },
  // audit and reports
  { name: "audit: limit 0", path: "/api/audit?limit=0", ...BAD_REQUEST, words: /query: limit/, field: "limit" },
  { name: "audit: limit 1001", path: "/api/audit?limit=1001", ...BAD_REQUEST, words: /query: limit/, field: "limit" },
  {
    name: "audit: limit in words",
    path: "/api/audit?limit=all",
    ...BAD_REQUEST,
    words: /query: limit/,
    field: "limit",
  },
  {
    name: "audit: unknown kind",
    path: "/api/audit?kind=everything",
    ...BAD_REQUEST,
    words: /query: kind/,
    field: "kind",
  },
  {
    name: "audit CSV: unknown kind",
    path: "/api/audit.csv?kind=everything",
    ...BAD_REQUEST,
    words: /query: kind/,
    field: "kind",
  },
  {
    name: "liabilities: from after to",
    path: "/api/reports/liabilities?from=2026-10-05&to=2026-10-01",
    ...BAD_REQUEST,
    words: /query: to/,
    field: "to",
  },
  {
    name: "liabilities: February 30th",
    path: "/api/reports/liabilities?from=2026-02-30&to=2026-03-01",
    ...BAD_REQUEST,
    words: /query: from/,
    field: "from",
  },
  {
    name: "liabilities: 400 days",
    path: "/api/reports/liabilities?from=2025-01-01&to=2026-02-05",
    ...BAD_REQUEST,
    words: /at most 366 days/,
    field: "to",
  },
  {
    name: "liabilities: no to",
    path: "/api/reports/liabilities?from=2026-10-01",
    ...BAD_REQUEST,
    words: /query: to/,
    field: "to",
  },
  // connections
  {
    name: "qbo connect: returnTo another site",
    path: "/api/qbo/connect",
    body: { returnTo: "https://evil.example/connected.html" },
    ...BAD_REQUEST,
    words: /body: returnTo/,
    field: "returnTo",
  },
  {
    name: "qbo connect: returnTo javascript:",
    path: "/api/qbo/connect",
    body: { returnTo: "javascript:alert(document.cookie)" },
    ...BAD_REQUEST,
    words: /body: returnTo/,
    field: "returnTo",
  },
  {
    name: "qbo connect: returnTo with a fragment",
    path: "/api/qbo/connect",
    body: { returnTo: `${EXTENSION}/connected.html#code=x` },
    ...BAD_REQUEST,
    words: /body: returnTo/,
    field: "returnTo",
  },
  {
    name: "qbo connect: returnTo a script",
    path: "/api/qbo/connect",
    body: { returnTo: `${EXTENSION}/background.js` },
    ...BAD_REQUEST,
    words: /body: returnTo/,
    field: "returnTo",
  },
  {
    name: "pos start: returnTo with credentials",
    path: "/auth/pos/start",
    anonymous: true,
    body: {
      returnTo: `chrome-extension://user:pw@mhbmaaggnhofaebpkcaglmcoecjgbegk/connected.html`,
      nonceHash: "a".repeat(64),
    },
    ...BAD_REQUEST,
    words: /body: returnTo/,
    field: "returnTo",
  },
  {
    name: "pos start: nonceHash not a SHA-256",
    path: "/auth/pos/start",
    anonymous: true,
    body: { returnTo: `${EXTENSION}/connected.html`, nonceHash: "abc" },
    ...BAD_REQUEST,
    words: /body: nonceHash/,
    field: "nonceHash",
  },
  {
    name: "pos start: nonceHash in capitals",
    path: "/auth/pos/start",
    anonymous: true,
    body: { returnTo: `${EXTENSION}/connected.html`, nonceHash: "A".repeat(64) },
    ...BAD_REQUEST,
    words: /body: nonceHash/,
    field: "nonceHash",
  },
  {
    name: "session exchange: a short code",
    path: "/auth/session",
    anonymous: true,
    body: { code: "short", nonce: "n".repeat(30) },
    ...BAD_REQUEST,
    words: /body: code/,
    field: "code",
  },
  {
    name: "session exchange: a code nobody issued",
    path: "/auth/session",
    anonymous: true,
    body: { code: "c".repeat(43), nonce: "n".repeat(30) },
    status: 400,
    code: "oauth_state_invalid",
    words: /expired or was already used/,
  },
  // no such route or method
  { name: "an unknown API route", path: "/api/everything", ...NOT_FOUND, words: /Not found: GET \/api\/everything/ },
  { name: "GET on a POST route", path: "/api/sync/send", ...NOT_FOUND, words: /Not found: GET \/api\/sync\/send/ },
  {
    name: "DELETE on the mappings",
    method: "DELETE",
    path: "/api/mappings",
    ...NOT_FOUND,
    words: /Not found: DELETE \/api\/mappings/,
  },
  {
    name: "an unknown top-level path",
    path: "/wp-admin/setup-config.php",
    anonymous: true,
    ...NOT_FOUND,
    words: /Not found: GET \/wp-admin/,
  },
  // sessions
  {
    name: "no Authorization header",
    path: "/api/me",
    anonymous: true,
    status: 401,
    code: "unauthorized",
    words: /not signed in/,
  },
  {
    name: "Basic credentials instead of a session",
    path: "/api/me",
    headers: { authorization: "Basic dXNlcjpwYXNz" },
    status: 401,
    code: "unauthorized",
    words: /not signed in/,
  },
  {
    name: "a session nobody issued",
    path: "/api/me",
    headers: { authorization: `Bearer tbs_${"A".repeat(43)}` },
    status: 401,
    code: "unauthorized",
    words: /not signed in/,
  },
  {
    name: "SQL in the session token",
    path: "/api/me",
    headers: { authorization: "Bearer tbs_'OR'1'='1" },
    status: 401,
    code: "unauthorized",
    words: /not signed in/,
  },
  {
    name: "an 8 KiB session token",
    path: "/api/me",
    headers: { authorization: `Bearer tbs_${"x".repeat(8192)}` },
    status: 401,
    code: "unauthorized",
    words: /not signed in/,
  },
];

describe("every route with a body, sent something that is not its body", () => {
  it("covers each of the contract's body routes", () => {
    expect(bodyRoutes.sort()).toEqual([
      "backfillStart",
      "counted",
      "driftCheck",
      "posStart",
      "qboConnect",
      "resolve",
      "retry",
      "revisionReplace",
      "saveDigest",
      "saveMappings",
      "send",
      "sessionExchange",
      "status",
    ]);
    expect(FRAMING).toHaveLength(bodyRoutes.length * 4);
  });
  it.each(FRAMING)("$name", { timeout: 30_000 }, run);
});

describe("fields missing, mistyped, out of range; ids nobody has; routes that do not exist", () => {
  it.each(FIELDS)("$name", { timeout: 30_000 }, run);
});
