import { describe, expect, it } from "vitest";
import {
  revisionOf,
  revisionStatusStatement,
  startRevision,
  Voided,
  voidedStatement,
} from "../../../worker/db/revisions";
import { db, freshTenant, later, t0 } from "./helpers";

const ref = { kind: "sale" as const, posId: "s1" };

describe("revisions: re-sends in progress or done", () => {
  it("starts a revision once however often it is asked, and finds it by version or while pending", async () => {
    const t = await freshTenant();
    const r = { ref, fromItemId: 7, fromVersion: "1", toVersion: "2", actor: "user:a" };
    await startRevision(db, t, r, t0);
    await startRevision(db, t, { ...r, toVersion: "9" }, later(1));
    const rev = await revisionOf(db, t, ref, { fromVersion: "1" });
    expect(rev).toEqual({
      kind: "sale",
      pos_id: "s1",
      from_item_id: 7,
      from_version: "1",
      to_version: "2",
      status: "voiding",
      voided_json: "[]",
    });
    expect(await revisionOf(db, t, ref, { pending: true })).toEqual(rev);
    expect(await revisionOf(db, t, ref, { fromVersion: "2" })).toBeNull();
    expect(await revisionOf(db, t, { kind: "closure", posId: "s1" }, {})).toBeNull();
  });

  it("keeps what was voided, then moves on to posting and done; a done one is no longer pending", async () => {
    const t = await freshTenant();
    await startRevision(db, t, { ref, fromItemId: 8, fromVersion: "1", toVersion: "2", actor: "user:a" }, t0);
    const rev = (await revisionOf(db, t, ref, { fromVersion: "1" }))!;
    const voided: Voided = [{ kind: "sale", posId: "s1", part: "invoice", entity: "Invoice", id: "12", how: "void" }];
    await voidedStatement(db, t, rev, voided, later(1)).run();
    await revisionStatusStatement(db, t, rev, "posting", later(2)).run();
    const posting = (await revisionOf(db, t, ref, { pending: true }))!;
    expect(posting.status).toBe("posting");
    expect(Voided.parse(JSON.parse(posting.voided_json))).toEqual(voided);
    await revisionStatusStatement(db, t, rev, "done", later(3)).run();
    expect(await revisionOf(db, t, ref, { pending: true })).toBeNull();
    expect((await revisionOf(db, t, ref, {}))?.status).toBe("done");
  });
});
