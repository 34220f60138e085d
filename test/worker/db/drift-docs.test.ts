import { describe, expect, it } from "vitest";
import {
  type DriftCandidate,
  driftCandidates,
  driftCheckStatement,
  driftNotes,
  flaggedDocs,
  paidInQbo,
  setPaidInQbo,
} from "../../../worker/db/drift-docs";
import { claimItem, finishPostedStatement, recordDoc, upsertItem } from "../../../worker/db/sync-items";
import { db, freshTenant, later, t0 } from "./helpers";

/** A posted item of `kind` with these documents. */
async function posted(
  tenantId: string,
  kind: "sale" | "closure",
  posId: string,
  docs: { part: string; entity: "Invoice" | "Customer" | "SalesReceipt" | "JournalEntry"; id: string }[],
) {
  const { row } = await upsertItem(db, { tenantId, kind, posId, posVersion: "1", idemKey: `${tenantId}|${posId}` }, t0);
  await claimItem(db, row.id, "w", t0);
  for (const d of docs) await recordDoc(db, row.id, "w", d, t0);
  await finishPostedStatement(db, row.id, "w", {}, t0).run();
  return row;
}

describe("drift_docs: what the drift check found of each posted document", () => {
  it("offers never-checked transaction documents first, then those checked longest ago, never parties", async () => {
    const t = await freshTenant();
    await posted(t, "sale", "s1", [
      { part: "customer", entity: "Customer", id: "c1" },
      { part: "invoice", entity: "Invoice", id: "i1" },
    ]);
    await posted(t, "closure", "z1", [
      { part: "sales", entity: "SalesReceipt", id: "r1" },
      { part: "payments", entity: "JournalEntry", id: "j1" },
    ]);
    const first = await driftCandidates(db, t, 10);
    expect(first.map((c) => `${c.entity}:${c.qbo_id}`)).toEqual(["Invoice:i1", "SalesReceipt:r1", "JournalEntry:j1"]);
    expect(first[0]).toMatchObject({ kind: "sale", pos_id: "s1", part: "invoice", status: null, baseline_json: null });
    const stmt = (c: DriftCandidate, at: Date) =>
      driftCheckStatement(db, t, c, {
        status: "ok",
        detail: null,
        baselineJson: "{}",
        syncToken: "0",
        checkedAt: at.toISOString(),
        flaggedAt: null,
      });
    await db.batch([stmt(first[0]!, later(20)), stmt(first[1]!, later(10))]);
    expect((await driftCandidates(db, t, 10)).map((c) => c.qbo_id)).toEqual(["j1", "r1", "i1"]);
    expect(await driftCandidates(db, t, 1)).toHaveLength(1);
  });

  it("keeps the first baseline and the moment a document was flagged, and stops offering deleted ones", async () => {
    const t = await freshTenant();
    await posted(t, "sale", "s2", [{ part: "invoice", entity: "Invoice", id: "i2" }]);
    const [c] = await driftCandidates(db, t, 10);
    const put = (status: "ok" | "edited" | "deleted", baselineJson: string | null, at: Date, flaggedAt: Date | null) =>
      driftCheckStatement(db, t, c!, {
        status,
        detail: status === "ok" ? null : `${status} detail`,
        baselineJson,
        syncToken: "3",
        checkedAt: at.toISOString(),
        flaggedAt: flaggedAt?.toISOString() ?? null,
      }).run();
    await put("ok", '{"first":true}', later(1), null);
    await put("edited", '{"second":true}', later(2), later(2));
    await put("edited", null, later(3), null);
    const [again] = await driftCandidates(db, t, 10);
    expect(again).toMatchObject({ status: "edited", baseline_json: '{"first":true}', detail: "edited detail" });
    expect(await flaggedDocs(db, t)).toEqual([
      expect.objectContaining({ pos_id: "s2", status: "edited", flagged_at: later(2).toISOString() }),
    ]);
    await put("deleted", null, later(4), later(4));
    expect(await driftCandidates(db, t, 10)).toEqual([]);
  });

  it("keeps what was paid on an invoice in QBO, and notes the objects of a page in one query", async () => {
    const t = await freshTenant();
    await posted(t, "sale", "s3", [{ part: "invoice", entity: "Invoice", id: "i3" }]);
    await posted(t, "sale", "s4", [{ part: "invoice", entity: "Invoice", id: "i4" }]);
    const cs = await driftCandidates(db, t, 10);
    await db.batch(
      cs.map((c) =>
        driftCheckStatement(db, t, c, {
          status: c.pos_id === "s4" ? "edited" : "ok",
          detail: null,
          baselineJson: "{}",
          syncToken: "1",
          checkedAt: later(1).toISOString(),
          flaggedAt: null,
        }),
      ),
    );
    expect(await paidInQbo(db, t, "Invoice", "i3")).toBeNull();
    await setPaidInQbo(db, t, "Invoice", "i3", 1250);
    expect(await paidInQbo(db, t, "Invoice", "i3")).toBe(1250);
    const notes = await driftNotes(db, t, [
      { kind: "sale", posId: "s3" },
      { kind: "sale", posId: "s4" },
      { kind: "sale", posId: "s4" },
      { kind: "closure", posId: "s3" },
    ]);
    expect(notes.map((n) => [n.pos_id, n.status, n.paid_in_qbo_minor])).toEqual([
      ["s3", "ok", 1250],
      ["s4", "edited", null],
    ]);
    await setPaidInQbo(db, t, "Invoice", "i3", null);
    expect((await driftNotes(db, t, [{ kind: "sale", posId: "s3" }])).length).toBe(0);
  });
});
