import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { createApp } from "../../worker/app";
import { loadEnv, ConfigError } from "../../worker/env";

describe("the Worker's entry", () => {
  it("answers /health with D1 and KV checked", async () => {
    const res = await createApp().request("/health", {}, env);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.ok).toBe(true);
    expect(body.checks.d1?.ok).toBe(true);
    expect(body.checks.d1?.detail).toMatch(/\d+ migrations applied/);
    expect(body.checks.kv?.ok).toBe(true);
  });

  it("answers unknown routes with the shared error shape, in the caller's language", async () => {
    const res = await createApp().request("/nope", { headers: { "accept-language": "fr-CA" } }, env);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toMatch(/^Introuvable/);
    expect(body.error.requestId).toBeTruthy();
  });

  it("refuses to run with a bad configuration and names the variable", () => {
    const bad = { ...env, QBO_API_BASE: "not a url", POS_API_BASE_TEMPLATE: "https://example.com/api" };
    expect(() => loadEnv(bad)).toThrow(ConfigError);
    expect(() => loadEnv(bad)).toThrow(
      /QBO_API_BASE must be a URL[\s\S]*POS_API_BASE_TEMPLATE must contain \{domain_prefix\}/,
    );
    const noSecret = { ...env, TOKEN_KEYS: undefined };
    expect(() => loadEnv(noSecret)).toThrow(/secret TOKEN_KEYS is missing/);
  });

  it("runs the scheduled handler inside workerd and records the run", async () => {
    const controller = createScheduledController({
      scheduledTime: new Date("2026-11-28T12:00:00Z"),
      cron: "* * * * *",
    });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.KV.get("cron:last-run")).toBe("2026-11-28T12:00:00.000Z");
  });
});
