import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ReconciliationResponse } from "../../../shared/api";
import type { ApiError } from "../../../shared/errors";
import type { SavedEntity } from "../../../worker/qbo/client";
import { businessDate } from "../../../worker/ledger";
import { bookkeeper, docsOfItem, forgetEverything, itemsOf, trade } from "../drift/helpers";
import { createStack, TENANT } from "../support/stack";

afterEach(forgetEverything);

describe("daily reconciliation per payment type", () => {
  it("sets the POS's taken and counted beside what Tillbridge posted, read back from QBO", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack, 2);
    const posted = await itemsOf("closure");
    expect(posted.length).toBeGreaterThan(0);
    const { results: closures } = await env.DB.prepare(
      "SELECT id, opened_at, payments_json FROM closures WHERE tenant_id = ?1",
    )
      .bind(TENANT)
      .all<{ id: string; opened_at: string; payments_json: string }>();
    const days = closures.map((c) => businessDate(c.opened_at, "America/Toronto")).sort();
    const from = days[0]!;
    const to = days.at(-1)!;

    const res = await stack.api<ReconciliationResponse>(`/api/reports/reconciliation?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe("America/Toronto");

    // taken and counted: the closures' own figures, summed per day and payment type
    const want = new Map<string, { taken: number; counted: number; n: number }>();
    for (const c of closures) {
      const day = businessDate(c.opened_at, "America/Toronto");
      for (const p of JSON.parse(c.payments_json ?? "[]") as {
        paymentTypeId: string;
        expectedMinor: number | null;
        countedMinor: number | null;
      }[]) {
        const w = want.get(`${day} ${p.paymentTypeId}`) ?? { taken: 0, counted: 0, n: 0 };
        w.taken += p.expectedMinor ?? 0;
        w.counted += p.countedMinor ?? 0;
        w.n++;
        want.set(`${day} ${p.paymentTypeId}`, w);
      }
    }
    expect(res.body.rows.length).toBe(want.size);
    for (const r of res.body.rows) {
      const w = want.get(`${r.date} ${r.paymentTypeId}`)!;
      expect({ taken: r.takenMinor, counted: r.countedMinor, n: r.closures }, r.name).toEqual(w);
    }
    const cash = res.body.rows.filter((r) => r.name === "Cash" && r.waiting === 0);
    expect(cash.length).toBeGreaterThan(0);
    for (const r of cash) {
      expect(r.role).toBe("deposit");
      expect(r.account?.name).toBeTruthy();
      // cash is never an on-account payment: what was counted is what was posted
      expect(r.postedMinor).toBe(r.countedMinor);
    }

    // a bookkeeper edits a cash line in QBO: the report shows what QBO holds now
    const target = cash.find((r) => r.countedMinor !== 0)!;
    const closure = posted.find(
      (p) =>
        businessDate(closures.find((c) => c.id === p.pos_id)!.opened_at, "America/Toronto") === target.date &&
        (
          JSON.parse(closures.find((c) => c.id === p.pos_id)!.payments_json) as { name: string; countedMinor: number }[]
        ).some((x) => x.name === "Cash" && x.countedMinor !== 0),
    )!;
    const je = docsOfItem(closure).find((d) => d.entity === "JournalEntry")!;
    const qbo = await bookkeeper(stack);
    const doc = await qbo.read<SavedEntity & { Line: { Description?: string; Amount: number }[] }>(
      "JournalEntry",
      je.id,
    );
    const line = doc.Line.find((l) => l.Description?.startsWith("Cash: counted"))!;
    line.Amount = Math.round(line.Amount * 100 + 100) / 100;
    const other = doc.Line.find((l) => l !== line && l.Description?.startsWith("Clears"))!;
    other.Amount = Math.round(other.Amount * 100 + 100) / 100;
    // the clearing line takes the same cent, so the entry stays balanced
    await qbo.update("JournalEntry", { Id: doc.Id, SyncToken: doc.SyncToken!, Line: doc.Line }, `edit-${je.id}`);
    const after = await stack.api<ReconciliationResponse>(`/api/reports/reconciliation?from=${from}&to=${to}`);
    const edited = after.body.rows.find((r) => r.date === target.date && r.paymentTypeId === target.paymentTypeId)!;
    expect(Math.abs(edited.postedMinor! - target.postedMinor!)).toBe(100);

    const bad = await stack.api<ApiError>(`/api/reports/reconciliation?from=${to}&to=${from}x`);
    expect(bad.status).toBe(400);
  });
});
