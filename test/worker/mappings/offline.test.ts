import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MappingOptions, MappingsDocument } from "../../../shared/api";
import { markNeedsReconnect } from "../../../worker/db/connections";
import { lastOptionsKey } from "../../../worker/mappings/service";
import { forgetEverything } from "../drift/helpers";
import { createStack, type Stack, TENANT } from "../support/stack";

/**
 * The mappings stay readable while QBO cannot be read: the options route serves the lists it last
 * read, flagged offline, instead of an error that made the options page's section vanish.
 */
let stack: Stack;
let live: MappingOptions;
const options = () => stack.api<MappingOptions>("/api/mappings/options");

beforeAll(async () => {
  stack = await createStack({ days: 3 });
  const first = await options();
  expect(first.status).toBe(200);
  live = first.body;
}, 180_000);
afterAll(forgetEverything);

describe("mapping options while QuickBooks Online is not connected", () => {
  it("are the live lists while QBO answers", () => {
    expect(live.offline).toBeUndefined();
    expect(live.qbo.companyName).not.toBe("");
    expect(live.qbo.accounts.length).toBeGreaterThan(10);
    expect(live.pos.paymentTypes.length).toBeGreaterThan(0);
  });

  it("are the last lists read, flagged, when the connection must be made again (a revoked token)", async () => {
    await markNeedsReconnect(env.DB, TENANT, "qbo", "invalid_grant: the refresh token was revoked", stack.now());
    const res = await options();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...live, offline: { code: "qbo_needs_reconnect" } });
  });

  it("are the last lists read after QBO is disconnected, and the saved mappings are still there", async () => {
    const saved = (await stack.api<MappingsDocument>("/api/mappings")).body;
    expect((await stack.api("/api/qbo/disconnect", { method: "POST" })).status).toBe(200);
    const res = await options();
    expect(res.status).toBe(200);
    expect(res.body.offline).toEqual({ code: "qbo_not_connected" });
    expect(res.body.qbo).toEqual(live.qbo);
    // every QBO id the saved mappings use is named in the lists the page gets
    const accountIds = new Set(res.body.qbo.accounts.map((a) => a.id));
    for (const id of Object.values(saved.mappings.accounts))
      if (typeof id === "string") expect(accountIds).toContain(id);
    expect((await stack.api<MappingsDocument>("/api/mappings")).body).toEqual(saved);
  });

  it("are the POS lists alone when QBO's were never read", async () => {
    await env.KV.delete(lastOptionsKey(TENANT));
    const res = await options();
    expect(res.status).toBe(200);
    expect(res.body.offline).toEqual({ code: "qbo_not_connected" });
    expect(res.body.qbo).toMatchObject({ companyName: "", accounts: [], items: [], fetchedAt: "" });
    expect(res.body.pos).toEqual(live.pos);
  });
});
