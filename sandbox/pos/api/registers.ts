import { Hono } from "hono";
import { z } from "zod";
import { formatMinor } from "../../../shared/money";
import { closeRegister, openRegister, summaryRows } from "../ops/registers";
import type { Runtime } from "../runtime";
import { must, PosSandboxError } from "../store";
import { parseInstant } from "../time";
import type { ApiEnv } from "./index";
import { versionPage } from "./paging";
import { registerJson } from "./serialize";

/**
 * Registers, their payments summary (expected per payment type, strings, for the current open
 * sequence — or, once closed, for the sequence that just closed), and the open/close actions.
 */

const CloseBody = z.object({
  payments: z
    .array(z.object({ payment_type_id: z.string().min(1), total: z.union([z.string(), z.number()]).transform(String) }))
    .default([]),
});
const OpenBody = z.object({ register_open_time: z.string().optional() }).default({});

async function jsonBody(req: { json(): Promise<unknown>; header(name: string): string | undefined }): Promise<unknown> {
  if (!(req.header("content-type") ?? "").includes("json")) return {};
  try {
    return await req.json();
  } catch {
    throw new PosSandboxError(400, "the body is not JSON");
  }
}

export function registerRoutes(rt: Runtime) {
  const app = new Hono<ApiEnv>();

  app.get("/registers", (c) => {
    const store = c.get("store");
    const page = versionPage(Object.values(store.registers), (r) => r.version, c.req.query());
    return c.json({ data: page.data.map(registerJson), version: page.version });
  });

  app.get("/registers/:id", (c) =>
    c.json({ data: registerJson(must(c.get("store").registers[c.req.param("id")], "register")) }),
  );

  app.get("/registers/:id/payments_summary", (c) => {
    const store = c.get("store");
    const register = must(store.registers[c.req.param("id")], "register");
    if (!register.openSequenceId) throw new PosSandboxError(404, "the register has never been opened");
    const seq = must(store.sequences[register.openSequenceId], "sequence");
    return c.json({
      data: {
        payments: summaryRows(store, seq.id).map((r) => ({
          payment_type_id: r.id,
          payment_type_name: r.name,
          total: formatMinor(r.expected),
        })),
        register_closure_id: seq.id,
        register_closure_sequence_number: seq.sequenceNumber,
        register_open_time: seq.openedAt,
      },
    });
  });

  app.put("/registers/:id/actions/close", async (c) => {
    const body = CloseBody.safeParse(await jsonBody(c.req));
    if (!body.success) throw new PosSandboxError(400, `invalid close request: ${body.error.issues[0]?.message ?? ""}`);
    const counted = Object.fromEntries(body.data.payments.map((p) => [p.payment_type_id, p.total]));
    const id = c.req.param("id");
    closeRegister(rt.ctx(c.get("store").prefix), id, counted);
    return c.json({ data: registerJson(must(c.get("store").registers[id], "register")) });
  });

  app.put("/registers/:id/actions/open", async (c) => {
    const body = OpenBody.safeParse(await jsonBody(c.req));
    if (!body.success) throw new PosSandboxError(400, "invalid open request");
    const id = c.req.param("id");
    const at = body.data.register_open_time ? parseInstant(body.data.register_open_time) : undefined;
    openRegister(rt.ctx(c.get("store").prefix), id, at);
    return c.json({ data: registerJson(must(c.get("store").registers[id], "register")) });
  });

  return app;
}
