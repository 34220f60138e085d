/**
 * /_sandbox/...: control and introspection over HTTP, for `npm start` and e2e tests. Never part of the
 * QBO surface. Each route mirrors a method of the QboSandbox object.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { QboSandbox } from "./index";
import { documentPage, notFoundPage } from "./ui";
import { entityInfo } from "./entities";
import { QboFault } from "./faults";

const FaultBody = z.object({
  realm: z.string().optional(),
  match: z
    .object({
      method: z.string(),
      entity: z.string(),
      operation: z.string(),
      pathIncludes: z.string(),
      inBatch: z.union([z.boolean(), z.literal("either")]),
    })
    .partial()
    .optional(),
  count: z.number().int().positive().optional(),
  kind: z.enum([
    "http500",
    "http503",
    "http502html",
    "throttle",
    "throttleXml",
    "truncatedJson",
    "okWithoutEntity",
    "fault",
    "timeoutBeforeCommit",
    "commitThenTimeout",
    "expireToken",
  ]),
  fault: z
    .object({
      status: z.number().int(),
      code: z.string(),
      type: z.string().optional(),
      message: z.string(),
      detail: z.string().optional(),
      element: z.string().optional(),
    })
    .optional(),
});
const ClockBody = z.union([
  z.object({ now: z.iso.datetime({ offset: true }) }),
  z.object({ advanceSeconds: z.number() }),
  z.object({ real: z.literal(true) }),
]);
export const PreferencesPatch = z
  .object({
    BookCloseDate: z.iso.date().nullable(),
    UsingSalesTax: z.boolean(),
    MultiCurrencyEnabled: z.boolean(),
    CustomTxnNumbers: z.boolean(),
    AllowDiscount: z.boolean(),
    TrackDepartments: z.boolean(),
    ClassTrackingPerTxn: z.boolean(),
    ClassTrackingPerTxnLine: z.boolean(),
  })
  .partial()
  .strict();
export type PreferencesPatch = z.infer<typeof PreferencesPatch>;

const WebhookBody = z
  .object({
    url: z.url(),
    verifierToken: z.string().min(1),
    format: z.enum(["legacy", "cloudevents"]).optional(),
    clientId: z.string().optional(),
    aggregationSeconds: z.number().nonnegative().optional(),
    /** Waits before each retry; omit for Intuit's schedule */
    retryDelaysSeconds: z.array(z.number().nonnegative()).optional(),
  })
  .strict();
const MerchantBody = z.discriminatedUnion("action", [
  z.object({ action: z.enum(["deactivate", "reactivate", "void", "delete"]) }).strict(),
  z.object({ action: z.literal("edit"), patch: z.record(z.string(), z.unknown()) }).strict(),
]);
const ClosingDateBody = z.object({ date: z.iso.date().nullable() }).strict();
const LatencyBody = z.object({ ms: z.number().int().nonnegative() }).strict();

export function controlRoutes(
  sandbox: () => QboSandbox,
  clock: { offsetMs: number; set: (offsetMs: number | null) => void; now: () => Date },
): Hono {
  const app = new Hono();
  const bad = (message: string) => Response.json({ error: message }, { status: 400 });
  const realmOr404 = (realmId: string) =>
    sandbox()
      .companies()
      .find((c) => c.realmId === realmId);

  app.get("/_sandbox/companies", (c) => c.json(sandbox().companies()));
  app.get("/_sandbox/:realm/trial-balance", (c) =>
    realmOr404(c.req.param("realm"))
      ? c.json(sandbox().trialBalance(c.req.param("realm")))
      : c.json({ error: "no such company" }, 404),
  );
  app.get("/_sandbox/:realm/entities/:entity", (c) => {
    if (!realmOr404(c.req.param("realm"))) return c.json({ error: "no such company" }, 404);
    return c.json(sandbox().entities(c.req.param("realm"), c.req.param("entity")));
  });
  app.get("/_sandbox/requests", (c) => c.json(sandbox().requestLog(c.req.query("realm"))));
  app.post("/_sandbox/faults", async (c) => {
    const parsed = FaultBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    try {
      sandbox().injectFault(parsed.data);
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e));
    }
    return c.json({ ok: true });
  });
  app.delete("/_sandbox/faults", (c) => {
    sandbox().clearFaults();
    return c.json({ ok: true });
  });
  app.get("/_sandbox/clock", (c) => c.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs }));
  app.post("/_sandbox/clock", async (c) => {
    const parsed = ClockBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    const b = parsed.data;
    if ("now" in b) clock.set(Date.parse(b.now) - Date.now());
    else if ("advanceSeconds" in b) clock.set(clock.offsetMs + b.advanceSeconds * 1000);
    else clock.set(null);
    return c.json({ now: clock.now().toISOString() });
  });
  app.post("/_sandbox/:realm/preferences", async (c) => {
    const parsed = PreferencesPatch.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    if (!realmOr404(c.req.param("realm"))) return c.json({ error: "no such company" }, 404);
    sandbox().setPreferences(c.req.param("realm"), parsed.data);
    return c.json({ ok: true });
  });
  app.post("/_sandbox/:realm/closing-date", async (c) => {
    const parsed = ClosingDateBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    if (!realmOr404(c.req.param("realm"))) return c.json({ error: "no such company" }, 404);
    sandbox().setClosingDate(c.req.param("realm"), parsed.data.date);
    return c.json({ ok: true });
  });
  // A merchant's change in QBO: deactivate / reactivate a name-list record, edit / void / delete a document.
  app.post("/_sandbox/:realm/entities/:entity/:id", async (c) => {
    const parsed = MerchantBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    const { realm, entity, id } = c.req.param();
    if (!realmOr404(realm)) return c.json({ error: "no such company" }, 404);
    try {
      const b = parsed.data;
      const doc =
        b.action === "deactivate" || b.action === "reactivate"
          ? sandbox().setActive(realm, entity, id, b.action === "reactivate")
          : sandbox().changeDocument(realm, entity, id, b.action, b.action === "edit" ? b.patch : undefined);
      return c.json(doc as object);
    } catch (e) {
      if (e instanceof QboFault) return c.json(e.body(new Date().toISOString()), 400);
      return c.json({ error: e instanceof Error ? e.message : String(e) }, 404);
    }
  });
  app.post("/_sandbox/webhook", async (c) => {
    const parsed = WebhookBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    const { aggregationSeconds, retryDelaysSeconds, ...rest } = parsed.data;
    sandbox().setWebhook({
      ...rest,
      ...(aggregationSeconds !== undefined ? { aggregationMs: aggregationSeconds * 1000 } : {}),
      ...(retryDelaysSeconds ? { retryDelaysMs: retryDelaysSeconds.map((s) => s * 1000) } : {}),
    });
    return c.json({ ok: true });
  });
  app.delete("/_sandbox/webhook", (c) => {
    sandbox().setWebhook(undefined);
    return c.json({ ok: true });
  });
  app.get("/_sandbox/webhook/deliveries", (c) => c.json(sandbox().webhookDeliveries()));
  app.post("/_sandbox/latency", async (c) => {
    const parsed = LatencyBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return bad(parsed.error.message);
    sandbox().setLatency(parsed.data.ms);
    return c.json({ ok: true });
  });
  app.post("/_sandbox/:realm/revoke", (c) => {
    sandbox().revokeAll(c.req.param("realm"));
    return c.json({ ok: true });
  });
  app.post("/_sandbox/reset", (c) => {
    sandbox().reset();
    return c.json({ ok: true });
  });
  app.get("/_sandbox/state", (c) => c.body(sandbox().exportState(), 200, { "content-type": "application/json" }));
  app.put("/_sandbox/state", async (c) => {
    try {
      sandbox().importState(await c.req.text());
    } catch (e) {
      return bad(String(e));
    }
    return c.json({ ok: true });
  });

  // The deep links Tillbridge builds: /app/<entity>?txnId=<id>&realm=<realmId>
  app.get("/app/:entity", (c) => {
    const info = entityInfo(c.req.param("entity"));
    const realmId = c.req.query("realm") ?? sandbox().realms.ca;
    const id = c.req.query("txnId") ?? "";
    const company = realmOr404(realmId);
    const doc =
      info && company
        ? (sandbox().entities(realmId, info.name) as Record<string, unknown>[]).find((d) => d.Id === id)
        : undefined;
    if (!info || !company || !doc)
      return c.html(notFoundPage(`No ${c.req.param("entity")} with id ${id} in company ${realmId}`), 404);
    const accounts = sandbox().entities(realmId, "Account") as { Id: string; Name: string }[];
    return c.html(documentPage(info.name, doc, company.name, (aid) => accounts.find((a) => a.Id === aid)?.Name ?? aid));
  });
  return app;
}
