import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { TillbridgeError } from "../../../shared/errors";
import { getCursor } from "../../../worker/db/cursors";
import { PosClient } from "../../../worker/pos/client";
import { syncSales } from "../../../worker/pos/ingest";
import { loadReference } from "../../../worker/pos/reference";
import { connectionRow, createPosHarness, forgetTenant, TENANT, type PosHarness } from "./harness";

/** The PosClient against the sandbox: tokens and their rotation, paging, throttling and faults. */

const grants = (h: PosHarness) => h.calls.filter((c) => c === "POST /demo/api/1.0/token").length;

async function failure(p: Promise<unknown>): Promise<TillbridgeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TillbridgeError) return e;
    throw e;
  }
  throw new Error("expected a TillbridgeError");
}

async function connected(days = 2): Promise<PosHarness> {
  const h = createPosHarness({ days });
  await h.connect();
  return h;
}

beforeEach(forgetTenant);

describe("tokens", () => {
  it("refreshes an access token near its expiry, stores the rotated refresh token, and keeps working", async () => {
    const h = await connected();
    const before = (await connectionRow())!;
    h.advance(86_400_000 - 60_000); // a minute before the sandbox expires it
    const client = PosClient.forTenant(h.services, TENANT);
    expect(await client.getOne("/retailer")).toMatchObject({ domain_prefix: TENANT });
    const after = (await connectionRow())!;
    expect(after.generation).toBe((before.generation as number) + 1);
    expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc);
    expect(grants(h)).toBe(2); // the code exchange, one refresh
    // the old refresh token was revoked by the POS: only the stored one works from now on
    h.advance(86_400_000);
    await client.getOne("/retailer");
    expect(grants(h)).toBe(3);
  });

  it("refreshes once for many concurrent callers (single flight across clients)", async () => {
    const h = await connected();
    h.advance(86_400_000 + 1);
    const clients = Array.from({ length: 6 }, () => PosClient.forTenant(h.services, TENANT));
    await Promise.all(clients.map((c) => c.getOne("/retailer")));
    expect(grants(h)).toBe(2);
  });

  it("refreshes and retries once when the POS answers 401 to a token it considers dead", async () => {
    const h = await connected();
    // our stored expiry says "fine", the POS's clock says expired
    await env.DB.prepare(
      "UPDATE connections SET access_expires_at = '2099-01-01T00:00:00.000Z' WHERE tenant_id = ?1 AND provider = 'pos'",
    )
      .bind(TENANT)
      .run();
    h.advance(86_400_000 + 1);
    const client = PosClient.forTenant(h.services, TENANT);
    expect(await client.getOne("/retailer")).toMatchObject({ domain_prefix: TENANT });
    expect(client.requests).toBe(2);
    expect(grants(h)).toBe(2);
  });

  it("marks the connection needs_reconnect when the merchant revoked the add-on (invalid_grant), audited once", async () => {
    const h = await connected();
    h.sandbox.revokeGrants(TENANT);
    const e = await failure(PosClient.forTenant(h.services, TENANT).getOne("/retailer"));
    expect(e.code).toBe("pos_needs_reconnect");
    expect(e.decision).toBe("after_fix");
    expect(await connectionRow()).toMatchObject({ status: "needs_reconnect" });
    expect((await connectionRow())!.status_reason).toMatch(/invalid_grant/);
    const again = await failure(PosClient.forTenant(h.services, TENANT).getOne("/retailer"));
    expect(again.code).toBe("pos_needs_reconnect");
    const audits = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ?1 AND action = 'pos_needs_reconnect'",
    )
      .bind(TENANT)
      .first<{ n: number }>();
    expect(audits!.n).toBe(1);
  });

  it("answers pos_not_connected for a tenant that never connected", async () => {
    const h = createPosHarness({ days: 1 });
    expect((await failure(PosClient.forTenant(h.services, "nobody").getOne("/retailer"))).code).toBe(
      "pos_not_connected",
    );
  });
});

describe("paging", () => {
  it("pages by version cursor until an empty page, every object once, in version order", async () => {
    const h = await connected(3);
    const client = PosClient.forTenant(h.services, TENANT, { pageSize: 7 });
    const seen: string[] = [];
    let last = 0n;
    for await (const page of client.pages("/sales")) {
      for (const s of page.items as { id: string; _metadata: { version: number } }[]) {
        expect(BigInt(s._metadata.version)).toBeGreaterThan(last);
        last = BigInt(s._metadata.version);
        seen.push(s.id);
      }
    }
    const all = Object.keys(h.sandbox.store(TENANT).sales);
    expect(seen.sort()).toEqual(all.sort());
    expect(client.requests).toBe(Math.ceil(all.length / 7) + 1);
  });

  it("stores sales with their sequences and advances the cursor with each page; a second sync asks once", async () => {
    const h = await connected(2);
    const client = PosClient.forTenant(h.services, TENANT, { pageSize: 10 });
    const first = await syncSales(h.services, TENANT, client);
    const all = Object.values(h.sandbox.store(TENANT).sales);
    expect(first.objects).toBe(all.length);
    expect(await getCursor(env.DB, TENANT, "sales")).toBe(String(Math.max(...all.map((s) => s.version))));
    const stored = await env.DB.prepare(
      "SELECT id, sequence_ids FROM pos_objects WHERE tenant_id = ?1 AND kind = 'sale'",
    )
      .bind(TENANT)
      .all<{ id: string; sequence_ids: string }>();
    expect(stored.results).toHaveLength(all.length);
    const sample = all.find((s) => s.payments.length > 0)!;
    const row = stored.results.find((r) => r.id === sample.id)!;
    for (const p of sample.payments) expect(row.sequence_ids).toContain(`,${p.sequenceId},`);

    const before = client.requests;
    const again = await syncSales(h.services, TENANT, client);
    expect(again.objects).toBe(0);
    expect(client.requests - before).toBe(1);
  });

  it("keeps the cursor at the last stored page when a later page fails, and resumes from there", async () => {
    const h = await connected(3);
    const client = PosClient.forTenant(h.services, TENANT);
    const one = await syncSales(h.services, TENANT, client, { maxPages: 1, pageSize: 20 });
    expect(one.objects).toBe(20);
    const afterOne = await getCursor(env.DB, TENANT, "sales");
    h.sandbox.injectFault({ path: "/sales", kind: "http500", count: 1 });
    expect((await failure(syncSales(h.services, TENANT, client, { pageSize: 20 }))).code).toBe("pos_transient");
    expect(await getCursor(env.DB, TENANT, "sales")).toBe(afterOne);
    const rest = await syncSales(h.services, TENANT, client, { pageSize: 20 });
    expect(one.objects + rest.objects).toBe(Object.keys(h.sandbox.store(TENANT).sales).length);
  });

  it("reads the reference lists (categories by their own cursor, payment types with deleted ones) and caches them", async () => {
    const h = await connected(1);
    const client = PosClient.forTenant(h.services, TENANT);
    const ref = await loadReference(h.services, TENANT, client);
    const store = h.sandbox.store(TENANT);
    expect(ref.retailer.name).toBe(store.retailer.name);
    expect(ref.paymentTypes.map((p) => p.id).sort()).toEqual(Object.keys(store.paymentTypes).sort());
    expect(ref.paymentTypes.some((p) => p.deleted)).toBe(true);
    expect(ref.categories.length).toBe(Object.keys(store.categories).length);
    expect(ref.categories.some((c) => c.path.includes(" / "))).toBe(true);
    expect(ref.outlets.every((o) => o.timeZone.includes("/"))).toBe(true);
    const requests = client.requests;
    await loadReference(h.services, TENANT, client);
    expect(client.requests).toBe(requests);
    h.advance(16 * 60_000);
    await loadReference(h.services, TENANT, client);
    expect(client.requests).toBeGreaterThan(requests);
  });
});

describe("throttling and faults", () => {
  it("waits out a short Retry-After within its budget, then succeeds", async () => {
    const h = await connected(1);
    const waits: number[] = [];
    const client = PosClient.forTenant(h.services, TENANT, {
      throttleBudgetMs: 60_000,
      sleep: async (ms) => void waits.push(ms),
    });
    h.sandbox.injectFault({ path: "/retailer", kind: "http429" });
    expect(await client.getOne("/retailer")).toMatchObject({ domain_prefix: TENANT });
    expect(waits).toEqual([30_000]);
    expect(client.requests).toBe(2);
  });

  it("raises pos_throttled with retryAfterSeconds (from the RFC 1123 date) beyond the budget", async () => {
    const h = await connected(1);
    h.sandbox.setRateLimit(TENANT, 2);
    const client = PosClient.forTenant(h.services, TENANT, { sleep: async () => {} });
    await client.getOne("/retailer");
    await client.getOne("/retailer");
    const e = await failure(client.getOne("/retailer"));
    expect(e.code).toBe("pos_throttled");
    expect(e.decision).toBe("wait_then_retry");
    // the window is 300 s from the first request, at whole seconds
    expect(e.extra.retryAfterSeconds).toBeGreaterThanOrEqual(299);
    expect(e.extra.retryAfterSeconds).toBeLessThanOrEqual(300);
  });

  it.each([
    ["http500", "pos_transient"],
    ["malformed", "pos_transient"],
    ["truncated", "pos_transient"],
  ] as const)("classifies %s as %s", async (kind, code) => {
    const h = await connected(1);
    h.sandbox.injectFault({ path: "/retailer", kind });
    expect((await failure(PosClient.forTenant(h.services, TENANT).getOne("/retailer"))).code).toBe(code);
  });

  it("answers pos_not_found for a 404", async () => {
    const h = await connected(1);
    const e = await failure(PosClient.forTenant(h.services, TENANT).getOne("/sales/no-such-sale"));
    expect(e.code).toBe("pos_not_found");
    expect(e.detail).toBe("GET /sales/no-such-sale");
  });

  it("gives up on a request that never answers (timeout → pos_transient)", async () => {
    const h = await connected(1);
    const hung: typeof fetch = async (input, init) =>
      new URL(new Request(input, init).url).pathname.endsWith("/retailer")
        ? new Promise<Response>(() => {})
        : h.services.fetch(input, init);
    const client = PosClient.forTenant({ ...h.services, fetch: hung }, TENANT, { timeoutMs: 50 });
    const e = await failure(client.getOne("/retailer"));
    expect(e.code).toBe("pos_transient");
    expect(e.detail).toMatch(/no answer within/);
  });

  it("a network error is transient", async () => {
    const h = await connected(1);
    const broken: typeof fetch = async () => {
      throw new TypeError("connection reset");
    };
    const e = await failure(PosClient.forTenant({ ...h.services, fetch: broken }, TENANT).getOne("/retailer"));
    expect(e.code).toBe("pos_transient");
    expect(e.detail).toContain("connection reset");
  });
});

describe("other cursors (canned pages)", () => {
  const canned = (pages: Record<string, unknown>) => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(new Request(input, init).url);
      const key = `${url.pathname.replace(/^.*\/api\/2026-07/, "")}?${url.searchParams.toString()}`;
      seen.push(key);
      return Response.json(pages[key] ?? { data: [] });
    };
    const client = new PosClient({
      env: { POS_API_BASE_TEMPLATE: env.POS_API_BASE_TEMPLATE },
      fetch,
      now: () => new Date(),
      tokens: {
        access: async () => ({ accessToken: "t", domainPrefix: "shop", generation: 1 }),
        refused: async () => {},
      },
    });
    return { client, seen };
  };

  it("pages categories by category id with page_info", async () => {
    const { client, seen } = canned({
      "/product_categories?page_size=1000": {
        data: { categories: [{ id: "a", name: "A" }] },
        page_info: { has_next: true, last_seen: "a" },
      },
      "/product_categories?page_size=1000&after=a": {
        data: { categories: [{ id: "b", name: "B" }] },
        page_info: { has_next: false, last_seen: "b" },
      },
    });
    expect(((await client.categories()) as { id: string }[]).map((c) => c.id)).toEqual(["a", "b"]);
    expect(seen).toHaveLength(2);
  });

  it("pages gift cards newest first with before=<last id>", async () => {
    const full = Array.from({ length: 1000 }, (_, i) => ({ id: `g${i}`, number: String(i) }));
    const { client, seen } = canned({
      "/gift_cards?status=EXPIRED&page_size=1000": { data: full },
      "/gift_cards?status=EXPIRED&page_size=1000&before=g999": { data: [{ id: "old", number: "x" }] },
    });
    expect(await client.giftCards({ status: "EXPIRED" })).toHaveLength(1001);
    expect(seen).toHaveLength(2);
  });

  it("stops paging a collection whose version.max is null", async () => {
    const { client } = canned({
      "/taxes?after=0&page_size=200": { data: [{ id: "t" }], version: { min: null, max: null } },
    });
    expect(await client.all("/taxes")).toEqual([]);
  });
});
