/**
 * /_sandbox/...: control and introspection over HTTP, for `npm start` and e2e tests. Never part of the
 * QBO surface. Each route mirrors a method of the QboSandbox object.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { QboSandbox } from "./index";
import { documentPage, notFoundPage } from "./ui";
import { entityInfo } from "./entities";

const FaultBody = z.object({
  realm: z.string().optional(),
  match: z
    .object({ method: z.string(), entity: z.string(), operation: z.string(), pathIncludes: z.string() })
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
    sandbox().injectFault(parsed.data);
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
