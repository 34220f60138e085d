import { describe, expect, it } from "vitest";
import { advanceCursorStatement, getCursor, suspectSequences, updateSuspects } from "../../../worker/db/cursors";
import { db, freshTenant, later, t0 } from "./helpers";

describe("suspect register sequences beside the cursors", () => {
  it("remembers when each was first seen, keeps that time, and forgets settled ones", async () => {
    const t = await freshTenant();
    await updateSuspects(db, t, {
      forget: [],
      remember: [
        ["q1", t0.toISOString()],
        ["q2", t0.toISOString()],
      ],
    });
    await updateSuspects(db, t, { forget: [], remember: [["q1", later(600).toISOString()]] });
    expect(await suspectSequences(db, t)).toEqual(
      new Map([
        ["q1", t0.toISOString()],
        ["q2", t0.toISOString()],
      ]),
    );
    await updateSuspects(db, t, { forget: ["q1"], remember: [] });
    expect([...(await suspectSequences(db, t)).keys()]).toEqual(["q2"]);
    await updateSuspects(db, t, { forget: [], remember: [] });
  });

  it("lives beside the version cursors without touching them", async () => {
    const t = await freshTenant();
    await advanceCursorStatement(db, t, "sales", "42", t0).run();
    await updateSuspects(db, t, { forget: [], remember: [["q1", t0.toISOString()]] });
    await updateSuspects(db, t, { forget: ["sales", "q1"], remember: [] });
    expect(await getCursor(db, t, "sales")).toBe("42");
    expect((await suspectSequences(db, t)).size).toBe(0);
  });
});
