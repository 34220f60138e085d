import type { StatusResponse } from "../../../shared/api";
import type { ObjectKind, ObjectStatus } from "../../../shared/sync";
import { idempotencyKey } from "../../../worker/ledger";
import type { Tenant, World } from "./world";

/** A register of the store opens, sells (two of one product) and closes now: a closure and its sale. */
export function trade(
  world: World,
  prefix: string,
  registerId: string,
  productId: string,
): { closure: string; sale: string } {
  const closure = world.pos.openRegister(prefix, registerId).id;
  const sale = world.pos.addSale(prefix, { registerId, lines: [{ productId, quantity: 2 }] }).id;
  world.pos.closeRegister(prefix, registerId);
  return { closure, sale };
}

export async function statusOf(world: World, who: Tenant, kind: ObjectKind, posId: string): Promise<ObjectStatus> {
  const res = await world.api<StatusResponse>(who, "/api/status", { body: { objects: [{ kind, posId }] } });
  return res.body.objects[0]!;
}

interface QboDoc {
  Id: string;
  PrivateNote?: string;
  TotalAmt?: number;
  Line?: { Amount: number; JournalEntryLineDetail?: { PostingType: string } }[];
}

/** The QBO documents carrying a closure's key, by part, with their totals (a part posted twice shows twice). */
export function booked(world: World, who: Tenant, closure: string): { part: string; entity: string; total: number }[] {
  const key = idempotencyKey(who.id, "closure", closure, "1");
  const marker = new RegExp(`key ${key.replace(/[|]/g, "\\|")} \\| part ([^|]+?)(?: \\||$)`);
  const out: { part: string; entity: string; total: number }[] = [];
  for (const entity of ["SalesReceipt", "RefundReceipt", "JournalEntry"]) {
    for (const doc of world.qbo.entities(who.realmId, entity) as QboDoc[]) {
      const part = marker.exec(doc.PrivateNote ?? "")?.[1];
      const debits = (doc.Line ?? [])
        .filter((l) => l.JournalEntryLineDetail?.PostingType === "Debit")
        .reduce((t, l) => t + Math.round(l.Amount * 100), 0);
      if (part) out.push({ part, entity, total: doc.TotalAmt ?? debits / 100 });
    }
  }
  return out.sort((x, y) => x.part.localeCompare(y.part));
}
