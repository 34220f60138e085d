import { describe, expect, it } from "vitest";
import { SELECTORS, selectAll, selectFirst, type SelectorName } from "../../extension/host/selectors";
import {
  actionCell,
  detailClosingDate,
  detailStatus,
  isAccountSaleStatus,
  isReceivedStatus,
  parseBackOfficeDate,
  readCountedTotals,
  rowDate,
  rowName,
  rowOf,
  rowStatus,
} from "../../extension/host/read";
import { fixtureDoc, fixtureNames } from "./helpers";

describe("host selectors against their saved fixtures", () => {
  const cases = (Object.keys(SELECTORS) as SelectorName[]).flatMap((name) =>
    SELECTORS[name].evidence.map(([fixture, count]) => [name, fixture, count] as const),
  );

  it.each(cases)("%s matches %s exactly %i time(s)", (name, fixture, count) => {
    expect(selectAll(name, fixtureDoc(fixture))).toHaveLength(count);
  });

  it("uses every saved fixture as evidence, and names only fixtures that exist", () => {
    const used = new Set(Object.values(SELECTORS).flatMap((s) => s.evidence.map(([f]) => f)));
    const saved = new Set(fixtureNames());
    for (const f of used) expect(saved, `${f} is named as evidence but not saved`).toContain(f);
    for (const f of saved) expect(used, `${f} is saved but no selector uses it`).toContain(f);
  });

  it("finds the old Vend-era relative links and the new absolute ones with one selector", () => {
    const old = selectAll("closureLink", fixtureDoc("closures-list-vend.html")).map((a) => a.getAttribute("href"));
    expect(old[0]).toBe("register/closure/summary/0af7a1b2-3c4d-11e6-ef8b-5e2f1a7c9d01");
    const current = selectAll("closureLink", fixtureDoc("closures-list.html")).map((a) => a.getAttribute("href"));
    expect(current.every((h) => h?.startsWith("/demo/register/closure/summary/"))).toBe(true);
    expect(new Set(current).size).toBe(25);
  });

  it("reads the status of each stock order row; only received ones are sendable", () => {
    const doc = fixtureDoc("stock-control.html");
    const statuses = selectAll("consignmentLink", doc).map((a) => rowStatus(rowOf(a)!));
    expect(statuses).toEqual(["Sent", "Sent", "Received", "Partially received", "Received"]);
    expect(statuses.filter(isReceivedStatus)).toHaveLength(3);
    expect(detailStatus(fixtureDoc("consignment-received.html"))).toBe("Received");
    expect(detailStatus(fixtureDoc("consignment-sent.html"))).toBe("Sent");
  });

  it("reads on-account and layby sales from the history", () => {
    const all = selectAll("saleLink", fixtureDoc("sales-history.html")).map((a) => rowStatus(rowOf(a)!));
    expect(all.every((s) => typeof s === "string" && s.length > 0)).toBe(true);
    const accounts = selectAll("saleLink", fixtureDoc("sales-history-on-account.html")).map((a) =>
      rowStatus(rowOf(a)!),
    );
    expect(accounts.length).toBe(3);
    expect(accounts.every(isAccountSaleStatus)).toBe(true);
    expect(selectAll("saleLink", fixtureDoc("sales-history-layby.html")).map((a) => rowStatus(rowOf(a)!))).toEqual([
      "Layby",
    ]);
  });

  it("reads each row's day and name, for a grey badge's backfill and for screen readers", () => {
    const links = selectAll("closureLink", fixtureDoc("closures-list.html"));
    expect(links.slice(0, 4).map((a) => rowDate(rowOf(a)!))).toEqual([
      "2026-10-10",
      "2026-10-10",
      "2026-10-10",
      "2026-10-09",
    ]);
    expect(rowName(rowOf(links[0]!), links[0]!)).toBe("Caisse 1 #10");
    const vend = selectAll("closureLink", fixtureDoc("closures-list-vend.html"));
    expect(vend.map((a) => [rowDate(rowOf(a)!), rowName(rowOf(a), a)])).toEqual([
      ["2016-06-14", "Main Register #212"],
      ["2016-06-13", "Main Register #211"],
      ["2016-06-12", "Main Register #210"],
    ]);
    const sales = selectAll("saleLink", fixtureDoc("sales-history-on-account.html"));
    expect(sales.map((a) => [rowDate(rowOf(a)!), rowName(rowOf(a), a)])).toEqual([
      ["2026-10-08", "1152"],
      ["2026-10-05", "1084"],
      ["2026-10-02", "1020"],
    ]);
    expect(detailClosingDate(fixtureDoc("closure-summary.html"))).toBe("2026-10-10");
    expect(detailClosingDate(fixtureDoc("consignment-received.html"))).toBeNull();
    const orders = selectAll("consignmentLink", fixtureDoc("stock-control.html"));
    expect(actionCell(rowOf(orders[0]!)!)?.getAttribute("class")).toBe("vd-row-actions");
  });

  it("reads the back office's dates as calendar days, in English, French or ISO, and nothing else", () => {
    expect(parseBackOfficeDate("Oct 10, 2026, 9:10 PM")).toBe("2026-10-10");
    expect(parseBackOfficeDate("Sept 3, 2026")).toBe("2026-09-03");
    expect(parseBackOfficeDate("1er déc. 2026, 21 h 10")).toBe("2026-12-01");
    expect(parseBackOfficeDate("14 juillet 2026")).toBe("2026-07-14");
    expect(parseBackOfficeDate("2026-02-03T10:00:00Z")).toBe("2026-02-03");
    for (const junk of ["", "today", "Foo 10, 2026", "Oct 99, 2026", "—", null])
      expect(parseBackOfficeDate(junk), String(junk)).toBeNull();
  });

  it("reads the counted totals of a closure summary, and none when nothing was counted", () => {
    const counted = readCountedTotals(selectFirst("closurePaymentsTable", fixtureDoc("closure-summary.html"))!);
    expect(counted?.map((r) => r.name)).toContain("Cash");
    expect(counted?.every((r) => Number.isInteger(r.countedMinor))).toBe(true);
    expect(
      readCountedTotals(selectFirst("closurePaymentsTable", fixtureDoc("closure-summary-uncounted.html"))!),
    ).toBeNull();
  });
});
