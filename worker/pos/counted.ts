import { z } from "zod";
import type { CountedTotalsRequest } from "../../shared/api";
import { TillbridgeError } from "../../shared/errors";
import { audit } from "../db/audit";
import { getClosureRecord, recordBackofficeCounted } from "../db/closures";
import { PosClient } from "./client";
import { pollRegisters } from "./ingest";
import type { ClosureRecord, ClosureRecordPayment } from "./mappers/closure";
import { loadReference } from "./reference";
import type { PosServices } from "./tokens";

/**
 * Counted totals read by the extension from the back office's closure summary page, for a closure
 * whose webhook never came. Accepted only while the closure's counted totals are unknown; otherwise
 * the answer is what is stored. The page shows names: they are matched to payment types (the
 * closure's own, then the store's, deleted ones included) when ids are absent.
 */

/** Routes.counted's answer ({ok, counted}) and what was stored. */
export const CountedTotalsResponse = z.object({
  /** The closure has counted totals now (these, or ones it already had) */
  ok: z.boolean(),
  /** Where the closure's counted totals come from: webhook | backoffice */
  counted: z.string(),
  closureId: z.string(),
  accepted: z.boolean(),
  countedSource: z.enum(["webhook", "backoffice", "assumed"]).nullable(),
  payments: z.array(
    z.object({
      paymentTypeId: z.string(),
      name: z.string(),
      expectedMinor: z.number().int().nullable(),
      countedMinor: z.number().int().nullable(),
    }),
  ),
});
export type CountedTotalsResponse = z.infer<typeof CountedTotalsResponse>;

const answer = (r: ClosureRecord, accepted: boolean): CountedTotalsResponse => ({
  ok: r.countedSource !== null,
  counted: r.countedSource ?? "unknown",
  closureId: r.id,
  accepted,
  countedSource: r.countedSource,
  payments: r.payments ?? [],
});

const norm = (name: string) => name.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase();

export async function acceptCountedTotals(
  s: PosServices,
  tenantId: string,
  closureId: string,
  req: z.infer<typeof CountedTotalsRequest>,
  actor: string,
): Promise<CountedTotalsResponse> {
  let record = await getClosureRecord(s.db, tenantId, closureId);
  if (!record) {
    // The page may show a closure polling has not reached yet: look at the registers once.
    await pollRegisters(s, tenantId, PosClient.forTenant(s, tenantId)).catch((e) =>
      s.log.warn("pos register poll failed", { error: e instanceof TillbridgeError ? e.code : String(e) }),
    );
    record = await getClosureRecord(s.db, tenantId, closureId);
  }
  if (!record) throw new TillbridgeError("not_found", `closure ${closureId}`);
  if (req.registerId && req.registerId !== record.registerId) {
    throw new TillbridgeError("conflict", `closure ${closureId} is not of register ${req.registerId}`, {
      fields: { registerId: "not the closure's register" },
    });
  }
  if (
    req.sequenceNumber !== undefined &&
    record.sequenceNumber !== null &&
    req.sequenceNumber !== record.sequenceNumber
  ) {
    throw new TillbridgeError(
      "conflict",
      `closure ${closureId} is sequence #${record.sequenceNumber}, not #${req.sequenceNumber}`,
      { fields: { sequenceNumber: "not the closure's number" } },
    );
  }
  if (record.countedSource !== null) return answer(record, false);

  const known = new Map<string, string>(); // id → name
  for (const p of record.payments ?? []) known.set(p.paymentTypeId, p.name);
  const needsStore = req.payments.some((p) =>
    p.paymentTypeId ? !known.has(p.paymentTypeId) : ![...known.values()].some((n) => norm(n) === norm(p.name)),
  );
  if (needsStore) {
    const ref = await loadReference(s, tenantId, PosClient.forTenant(s, tenantId));
    for (const t of ref.paymentTypes) if (!known.has(t.id)) known.set(t.id, t.name);
  }

  const fields: Record<string, string> = {};
  const counted = new Map<string, { name: string; countedMinor: number }>();
  req.payments.forEach((p, i) => {
    let id = p.paymentTypeId;
    if (id && !known.has(id)) fields[`payments.${i}.paymentTypeId`] = "not a payment type of this store";
    if (!id) {
      const matches = [...known].filter(([, n]) => norm(n) === norm(p.name));
      if (matches.length === 1) id = matches[0]![0];
      else
        fields[`payments.${i}.name`] = matches.length
          ? `several payment types are named "${p.name}"`
          : `no payment type is named "${p.name}"`;
    }
    if (!id) return;
    if (counted.has(id)) fields[`payments.${i}`] = "this payment type is listed twice";
    counted.set(id, { name: known.get(id) ?? p.name, countedMinor: p.countedMinor });
  });
  if (Object.keys(fields).length)
    throw new TillbridgeError("bad_request", `counted totals: ${Object.values(fields)[0]}`, { fields });

  // Expected figures stay as announced (or null: computed from the sequence's payments).
  const merged: ClosureRecordPayment[] = (record.payments ?? []).map((p) => ({
    ...p,
    countedMinor: counted.get(p.paymentTypeId)?.countedMinor ?? null,
  }));
  for (const [paymentTypeId, c] of counted) {
    if (!merged.some((p) => p.paymentTypeId === paymentTypeId))
      merged.push({ paymentTypeId, name: c.name, expectedMinor: null, countedMinor: c.countedMinor });
  }
  const stored = await recordBackofficeCounted(s.db, tenantId, closureId, merged, req.sequenceNumber ?? null, s.now());
  const now = (await getClosureRecord(s.db, tenantId, closureId))!;
  if (stored) {
    await audit(
      s.db,
      {
        tenantId,
        actor,
        action: "counted",
        kind: "closure",
        posId: closureId,
        detail: `counted totals from the back office for ${merged.length} payment types`,
      },
      s.now(),
    );
  }
  return answer(now, stored);
}
