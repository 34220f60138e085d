import { describe, expect, it } from "vitest";
import { countInSlidingWindow, countInWindow, dropWindowsBefore, fillWindow } from "../../../worker/db/qbo-rate";
import { db } from "./helpers";

const realm = () => `r-${crypto.randomUUID()}`;

describe("qbo_rate: each company's request windows", () => {
  it("counts up to the limit across racing callers, then refuses", async () => {
    const r = realm();
    const results = await Promise.all(Array.from({ length: 5 }, () => countInWindow(db, r, "m2026-11-28T12:00", 3)));
    expect(
      results
        .filter((x) => x.ok)
        .map((x) => x.n)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(results.filter((x) => !x.ok)).toEqual([
      { ok: false, n: 3 },
      { ok: false, n: 3 },
    ]);
  });

  it("fills a window so nobody sends in it, and drops a realm's windows of earlier minutes", async () => {
    const r = realm();
    const other = realm();
    await countInWindow(db, r, "m2026-11-28T12:00", 450);
    await countInWindow(db, r, "e2026-11-28T12:00:59.7", 1);
    await countInWindow(db, other, "m2026-11-28T12:00", 450);
    await fillWindow(db, r, "m2026-11-28T12:01", 450);
    expect(await countInWindow(db, r, "m2026-11-28T12:01", 450)).toEqual({ ok: false, n: 450 });
    await dropWindowsBefore(db, r, "2026-11-28T12:01");
    expect(await countInWindow(db, r, "m2026-11-28T12:00", 450)).toEqual({ ok: true, n: 1 });
    expect(await countInWindow(db, r, "e2026-11-28T12:00:59.7", 1)).toEqual({ ok: true, n: 1 });
    expect(await countInWindow(db, other, "m2026-11-28T12:00", 450)).toEqual({ ok: true, n: 2 });
  });

  it("counts batches in a sliding 60 s: a full end of one minute leaves no room at the start of the next", async () => {
    const r = realm();
    // six-second buckets; the window is the bucket and the nine before it
    const take = (bucket: string, first: string) => countInSlidingWindow(db, r, bucket, first, 35);
    const racing = await Promise.all(
      Array.from({ length: 36 }, () => take("c2026-11-28T12:00:54", "c2026-11-28T12:00:00")),
    );
    expect(racing.filter(Boolean)).toHaveLength(35);
    // a calendar-minute count would allow 35 more at 12:01:06; the last 60 s still hold 35
    expect(await take("c2026-11-28T12:01:06", "c2026-11-28T12:00:12")).toBe(false);
    // once 12:00:54's bucket has left the window, there is room again
    expect(await take("c2026-11-28T12:01:54", "c2026-11-28T12:01:00")).toBe(true);
  });
});
