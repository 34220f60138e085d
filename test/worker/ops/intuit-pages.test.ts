import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";

/** The pages Intuit's app settings point at: static, in the merchant's language, changing nothing. */
describe("Intuit launch, disconnect and reconnect pages", () => {
  const app = createApp();
  it.each([
    ["/intuit/launch", "en", "Tillbridge works inside your Retail POS back office"],
    ["/intuit/disconnected", "en", "Tillbridge is disconnected from QuickBooks Online"],
    ["/intuit/reconnect", "fr-CA", "Reconnecter Tillbridge à QuickBooks En ligne"],
    ["/intuit/disconnected?realmId=9130&lang=fr", "en", "Tillbridge est déconnecté de QuickBooks En ligne"],
  ])("%s (%s)", async (path, lang, title) => {
    const res = await app.request(path, { headers: { "accept-language": lang } }, env);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const html = await res.text();
    expect(html).toContain(`<h1>${title.replace(/'/g, "&#39;")}</h1>`);
    expect(html).not.toContain("<script");
  });

  it("a disconnect landing with a realm id changes no connection", async () => {
    await env.DB.prepare("INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('t1', 'T', 'x', 'x')").run();
    await env.DB.prepare(
      "INSERT INTO connections (tenant_id, provider, status, external_id, updated_at) VALUES ('t1', 'qbo', 'connected', '9130', 'x')",
    ).run();
    await app.request("/intuit/disconnected?realmId=9130", {}, env);
    expect(await env.DB.prepare("SELECT status FROM connections WHERE tenant_id = 't1'").first()).toEqual({
      status: "connected",
    });
  });
});
