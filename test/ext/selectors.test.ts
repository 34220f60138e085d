import { describe, expect, it } from "vitest";
import { SELECTORS, selectAll, selectFirst, type SelectorName } from "../../extension/host/selectors";
import {
  detailStatus,
  isAccountSaleStatus,
  isReceivedStatus,
  readCountedTotals,
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

  it("reads the counted totals of a closure summary, and none when nothing was counted", () => {
    const counted = readCountedTotals(selectFirst("closurePaymentsTable", fixtureDoc("closure-summary.html"))!);
    expect(counted?.map((r) => r.name)).toContain("Cash");
    expect(counted?.every((r) => Number.isInteger(r.countedMinor))).toBe(true);
    expect(
      readCountedTotals(selectFirst("closurePaymentsTable", fixtureDoc("closure-summary-uncounted.html"))!),
    ).toBeNull();
  });
});
