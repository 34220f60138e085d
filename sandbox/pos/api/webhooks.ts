import { Hono } from "hono";
import { z } from "zod";
import { must, newId, PosSandboxError } from "../store";
import type { ApiEnv } from "./index";
import { webhookJson } from "./serialize";

/**
 * Webhook subscriptions (`/webhooks` CRUD). A webhook remembers the OAuth client that created it:
 * deliveries are signed with that client's secret.
 */

export const WEBHOOK_TYPES = [
  "sale.update",
  "product.update",
  "customer.update",
  "inventory.update",
  "register_closure.create",
  "consignment.send",
  "consignment.receive",
] as const;

const WebhookBody = z.object({
  active: z.boolean(),
  type: z.enum(WEBHOOK_TYPES),
  url: z.string().min(3).url(),
});

async function body(req: { json(): Promise<unknown> }) {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new PosSandboxError(400, "the body is not JSON");
  }
  const parsed = WebhookBody.safeParse(raw);
  if (!parsed.success)
    throw new PosSandboxError(400, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

export function webhookRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/webhooks", (c) => {
    const store = c.get("store");
    return c.json({ data: Object.values(store.webhooks).map((w) => webhookJson(store, w)) });
  });

  app.post("/webhooks", async (c) => {
    const store = c.get("store");
    const b = await body(c.req);
    if (Object.values(store.webhooks).some((w) => w.type === b.type && w.url === b.url)) {
      return c.json({ error: "A webhook with this type and URL already exists." }, 409);
    }
    const hook = { id: newId(store), url: b.url, type: b.type, active: b.active, clientId: c.get("token").clientId };
    store.webhooks[hook.id] = hook;
    return c.json({ data: webhookJson(store, hook) }, 201);
  });

  app.get("/webhooks/:id", (c) => {
    const store = c.get("store");
    return c.json({ data: webhookJson(store, must(store.webhooks[c.req.param("id")], "webhook")) });
  });

  app.put("/webhooks/:id", async (c) => {
    const store = c.get("store");
    const hook = must(store.webhooks[c.req.param("id")], "webhook");
    Object.assign(hook, await body(c.req));
    return c.json({ data: webhookJson(store, hook) });
  });

  app.delete("/webhooks/:id", (c) => {
    const store = c.get("store");
    must(store.webhooks[c.req.param("id")], "webhook");
    delete store.webhooks[c.req.param("id")];
    return c.body(null, 200);
  });

  return app;
}
