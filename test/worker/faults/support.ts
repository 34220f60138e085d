import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { PreviewResponse, StatusResponse } from "../../../shared/api";
import type { ObjectKind, ObjectStatus } from "../../../shared/sync";
import { idempotencyKey } from "../../../worker/ledger";
import { currentItem, type SyncItemRow } from "../../../worker/db/sync-items";
import { announcedClosureStatement } from "../../../worker/db/closures";
import { recordItem } from "../../../worker/kinds/record";
import { closedQuietly } from "../support/quiet-close";
import { RETURN_TO, TENANT, type Stack } from "../support/stack";

/**
 * What every fault case asserts and how it sets the scene: one register closure at a time (so a
 * fault meets a known posting), the QBO documents that carry an item's key (0 duplicates, 0 lost),
 * the badge's view of an item, and time moved past a retry.
 */

export const DOC_ENTITIES = [
  "SalesReceipt",
  "RefundReceipt",
  "JournalEntry",
  "Invoice",
  "Payment",
  "CreditMemo",
  "Bill",
  "VendorCredit",
] as const;

interface QboDoc {
  Id: string;
  DocNumber?: string;
  TxnDate?: string;
  PrivateNote?: string;
  Active?: boolean;
  DisplayName?: string;
}

export const docs = (stack: Stack, entity: string) => stack.qbo.entities(stack.realmId, entity) as QboDoc[];

let register = 0;

/** A register opens, sells and closes now; its webhooks reach Tillbridge (which posts at once). */
export async function closeARegister(stack: Stack): Promise<string> {
  const store = stack.pos.store(TENANT);
  const registers = Object.values(store.registers);
  const reg = registers[register++ % registers.length]!;
  const products = Object.values(store.products).filter((p) => p.kind === "product");
  const seq = stack.pos.openRegister(TENANT, reg.id);
  stack.pos.addSale(TENANT, {
    registerId: reg.id,
    lines: [{ productId: products[register % products.length]!.id, quantity: 2 }],
  });
  stack.pos.addSale(TENANT, {
    registerId: reg.id,
    lines: [{ productId: products[(register + 3) % products.length]!.id, quantity: 1 }],
  });
  stack.pos.closeRegister(TENANT, reg.id);
  await stack.settle();
  return seq.id;
}

/**
 * Closures Tillbridge has recorded (the closure webhook's figures stored, the sync item ready) but
 * not posted yet — as if the Worker had died right after answering the webhook. The POS's webhooks
 * are captured instead of delivered, and the webhook route's own recording is replayed.
 */
export async function readyClosures(stack: Stack, n: number): Promise<string[]> {
  const ids: string[] = [];
  const s = stack.services();
  for (let i = 0; i < n; i++) {
    const { id, announced } = await closedQuietly(stack, () => closeARegister(stack));
    await announcedClosureStatement(s.db, TENANT, announced, s.now()).run();
    await recordItem(s, TENANT, "closure", id);
    ids.push(id);
  }
  for (const id of ids) expect((await item(stack, "closure", id))?.state, `closure ${id} recorded`).toBe("ready");
  return ids;
}

export const item = (stack: Stack, kind: ObjectKind, posId: string): Promise<SyncItemRow | null> =>
  currentItem(stack.services().db, TENANT, kind, posId);

export async function status(stack: Stack, kind: ObjectKind, posId: string, lang = "en"): Promise<ObjectStatus> {
  const res = await stack.api<StatusResponse>("/api/status", { body: { objects: [{ kind, posId }] }, lang });
  expect(res.status).toBe(200);
  return res.body.objects[0]!;
}

/** The parts an object's posting is made of, as the preview (a dry run) says. */
export async function expectedParts(stack: Stack, kind: ObjectKind, posId: string): Promise<string[]> {
  const res = await stack.api<PreviewResponse>(`/api/preview?kind=${kind}&posId=${encodeURIComponent(posId)}`);
  expect(res.status).toBe(200);
  expect(res.body.blockers).toEqual([]);
  return res.body.documents.map((d) => d.part).sort();
}

/** Every QBO document whose PrivateNote carries this item's key, by part. */
export function qboDocsOf(
  stack: Stack,
  kind: ObjectKind,
  posId: string,
  posVersion = "1",
): { entity: string; part: string; doc: QboDoc }[] {
  // a payment on a sale is keyed by the payment alone in its documents (the item adds the sale's id)
  const key = idempotencyKey(
    TENANT,
    kind,
    kind === "sale_payment" ? posId.slice(posId.indexOf(":") + 1) : posId,
    posVersion,
  );
  const out: { entity: string; part: string; doc: QboDoc }[] = [];
  for (const entity of DOC_ENTITIES) {
    for (const doc of docs(stack, entity)) {
      const m = new RegExp(`key ${escapeRegExp(key)} \\| part ([^|]+?)(?: \\||$)`).exec(doc.PrivateNote ?? "");
      if (m) out.push({ entity, part: m[1]!, doc });
    }
  }
  return out;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The proof of every case: the item is posted, QBO holds exactly one document per part the posting
 * is made of (none missing, none twice), and they are the ones the badge links to.
 */
export async function expectPostedOnce(stack: Stack, kind: ObjectKind, posId: string): Promise<ObjectStatus> {
  const st = await status(stack, kind, posId);
  expect(
    st.state,
    `${kind} ${posId}: ${JSON.stringify(st.reason)}\n${stack.logs
      .filter((l) => /"level":"(warn|error)"/.test(l))
      .slice(-5)
      .join("\n")}`,
  ).toBe("posted");
  const inQbo = qboDocsOf(stack, kind, posId);
  const parts = await expectedParts(stack, kind, posId);
  expect(inQbo.map((d) => d.part).sort(), "one QBO document per part").toEqual(parts);
  expect(st.docs.map((d) => d.part).sort()).toEqual(parts);
  for (const d of st.docs) {
    const found = inQbo.find((q) => q.part === d.part)!;
    expect({ entity: d.entity, id: d.id }).toEqual({ entity: found.entity, id: found.doc.Id });
    expect(d.url).toContain(`txnId=${d.id}`);
  }
  return st;
}

/** Moves the shared clock past any retry wait (backoff, throttle, an expired lease) and runs the cron. */
export async function later(stack: Stack, minutes = 90) {
  stack.advance(minutes * 60_000);
  return stack.cron();
}

export async function auditActions(kind: ObjectKind, posId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE tenant_id = ?1 AND kind = ?2 AND pos_id = ?3 ORDER BY id",
  )
    .bind(TENANT, kind, posId)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

/** Connects QBO again through Intuit's consent (after the connection ended). */
export async function reconnectQbo(stack: Stack): Promise<void> {
  const q = await stack.api<{ authorizeUrl: string }>("/api/qbo/connect", { body: { returnTo: RETURN_TO } });
  expect(q.status).toBe(200);
  const consent = await stack.qbo.fetch(new Request(q.body.authorizeUrl));
  const back = new URL(consent.headers.get("location")!);
  const done = await stack.request(`${back.pathname}${back.search}`);
  expect(done.headers.get("location")).toContain("#qbo=connected");
  await stack.settle();
}

/** A D1 that refuses the statements `refuse` picks, as a D1 that went away would. */
export function failingDb(real: D1Database, refuse: (sql: string) => boolean): D1Database {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          if (refuse(sql)) throw new Error("D1_ERROR: injected: the database is unavailable");
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
