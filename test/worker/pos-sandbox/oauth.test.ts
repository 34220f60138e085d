import { beforeEach, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { api, authorizeCode, BASE, CLIENT, connect, exchange, form } from "./helpers";

/** The POS OAuth flow inside workerd: consent, code exchange, rotation, expiry, revocation, bearer auth. */

let now: Date;
let sb: PosSandbox;
const tick = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

describe("POS OAuth", () => {
  beforeEach(() => {
    now = new Date("2026-11-20T12:00:00Z");
    sb = createPosSandbox({ days: 1, stores: ["ca", "us"], autoApprove: true, now: () => now });
  });

  it("shows a consent page where the merchant picks the store, then redirects with code, domain_prefix and state", async () => {
    const manual = createPosSandbox({ days: 1, stores: ["ca", "us"], now: () => now });
    const q = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT.id,
      redirect_uri: CLIENT.redirect,
      state: "xyz-state-1",
    });
    const page = await manual.fetch(new Request(`${BASE}/connect?${q}`));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('value="demo"');
    expect(html).toContain('value="demo-us"');
    expect(html).toContain("Boutique Tillbridge Démo");

    const approve = await manual.fetch(
      new Request(
        `${BASE}/connect`,
        form({
          client_id: CLIENT.id,
          redirect_uri: CLIENT.redirect,
          state: "xyz-state-1",
          domain_prefix: "demo-us",
          decision: "approve",
        }),
      ),
    );
    expect(approve.status).toBe(302);
    const to = new URL(approve.headers.get("location")!);
    expect(to.origin + to.pathname).toBe(CLIENT.redirect);
    expect(to.searchParams.get("domain_prefix")).toBe("demo-us");
    expect(to.searchParams.get("state")).toBe("xyz-state-1");
    expect(to.searchParams.get("code")).toMatch(/^[0-9a-f]{32}$/);

    const deny = await manual.fetch(
      new Request(
        `${BASE}/connect`,
        form({ client_id: CLIENT.id, redirect_uri: CLIENT.redirect, state: "xyz-state-1", decision: "deny" }),
      ),
    );
    const denied = new URL(deny.headers.get("location")!);
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("code")).toBeNull();
  });

  it("refuses a state shorter than 8 characters and an unknown client", async () => {
    const short = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT.id,
      redirect_uri: CLIENT.redirect,
      state: "abc",
    });
    expect((await sb.fetch(new Request(`${BASE}/connect?${short}`))).status).toBe(400);
    const unknown = new URLSearchParams({
      response_type: "code",
      client_id: "someone-else",
      redirect_uri: CLIENT.redirect,
      state: "abcdefgh",
    });
    expect((await sb.fetch(new Request(`${BASE}/connect?${unknown}`))).status).toBe(400);
  });

  it("exchanges a code once for tokens in the POS's shape; reuse, wrong redirect or wrong secret fail", async () => {
    const code = await authorizeCode(sb);
    expect(
      (await exchange(sb, "demo", { grant_type: "authorization_code", code, redirect_uri: "http://elsewhere.test/cb" }))
        .status,
    ).toBe(400);
    const bad = await exchange(sb, "demo", {
      grant_type: "authorization_code",
      code,
      redirect_uri: CLIENT.redirect,
      client_secret: "nope",
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: "invalid_client" });

    const res = await exchange(sb, "demo", { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirect });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      expires_in: 86400,
      domain_prefix: "demo",
      scope: "",
      expires: now.getTime() / 1000 + 86400,
    });
    expect(typeof tokens.access_token).toBe("string");
    expect(typeof tokens.refresh_token).toBe("string");

    const again = await exchange(sb, "demo", { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirect });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("lets a code expire after 10 minutes and only at the store it was issued for", async () => {
    const code = await authorizeCode(sb);
    expect(
      (await exchange(sb, "demo-us", { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirect })).status,
    ).toBe(400);
    tick(601);
    expect(
      (await exchange(sb, "demo", { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirect })).status,
    ).toBe(400);
  });

  it("rotates refresh tokens: each refresh issues a new one and revokes the old", async () => {
    const first = await connect(sb);
    const r1 = await exchange(sb, "demo", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { refresh_token: string; access_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const old = await exchange(sb, "demo", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(old.status).toBe(400);
    expect(await old.json()).toMatchObject({ error: "invalid_grant" });
    expect(
      (await exchange(sb, "demo", { grant_type: "refresh_token", refresh_token: second.refresh_token })).status,
    ).toBe(200);
    expect((await api(sb, second.access_token, "/retailer")).status).toBe(200);
  });

  it("requires a live bearer token for that store on every API call", async () => {
    const tokens = await connect(sb);
    const noToken = await api(sb, null, "/retailer");
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await api(sb, "garbage", "/sales")).status).toBe(401);
    expect((await api(sb, tokens.refresh_token, "/sales")).status).toBe(401);
    expect((await api(sb, tokens.access_token, "/retailer", {}, "demo-us")).status).toBe(401);
    expect((await api(sb, tokens.access_token, "/retailer", {}, "nowhere")).status).toBe(404);
    const ok = await api(sb, tokens.access_token, "/retailer");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { domain_prefix: string } }).data.domain_prefix).toBe("demo");
  });

  it("expires access tokens by the sandbox clock, and the refresh still works", async () => {
    const tokens = await connect(sb);
    tick(86_399);
    expect((await api(sb, tokens.access_token, "/outlets")).status).toBe(200);
    tick(2);
    expect((await api(sb, tokens.access_token, "/outlets")).status).toBe(401);
    const refreshed = (await (
      await exchange(sb, "demo", { grant_type: "refresh_token", refresh_token: tokens.refresh_token })
    ).json()) as { access_token: string };
    expect((await api(sb, refreshed.access_token, "/outlets")).status).toBe(200);
  });

  it("honours a configured token lifetime", async () => {
    const short = createPosSandbox({ days: 1, autoApprove: true, accessTokenTtlSeconds: 60, now: () => now });
    const tokens = await connect(short);
    expect(tokens.expires_in).toBe(60);
    tick(61);
    expect((await api(short, tokens.access_token, "/outlets")).status).toBe(401);
  });

  it("revokes every grant of a store when the merchant uninstalls", async () => {
    const tokens = await connect(sb);
    const us = await connect(sb, "demo-us");
    expect(sb.revokeGrants("demo")).toBe(2);
    expect((await api(sb, tokens.access_token, "/retailer")).status).toBe(401);
    expect(
      (await exchange(sb, "demo", { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status,
    ).toBe(400);
    expect((await api(sb, us.access_token, "/retailer", {}, "demo-us")).status).toBe(200);
  });
});
