import { describe, expect, it } from "vitest";
import { parseMoney } from "../../extension/host/read";
import {
  closureIdOfHref,
  consignmentIdOfHref,
  detectPage,
  isBackOfficeUrl,
  saleIdOfHref,
} from "../../extension/host/urls";

describe("page detection", () => {
  it.each([
    ["https://acme.retail.lightspeed.app/register/closures", "real", "acme", "closures", undefined],
    ["https://acme.retail.lightspeed.app/register/closures?page=3", "real", "acme", "closures", undefined],
    ["https://acme.retail.lightspeed.app/register/closure/summary/0af7-11e6", "real", "acme", "closure", "0af7-11e6"],
    ["https://acme.retail.lightspeed.app/consignment", "real", "acme", "consignments", undefined],
    ["https://acme.retail.lightspeed.app/consignment/abc-123", "real", "acme", "consignment", "abc-123"],
    ["https://acme.retail.lightspeed.app/history#0b1c", "real", "acme", "history", undefined],
    ["http://127.0.0.1:8789/demo/register/closures", "replica", "demo", "closures", undefined],
    ["http://localhost:8789/demo/register/closure/summary/x1", "replica", "demo", "closure", "x1"],
    ["http://127.0.0.1:8789/demo-us/consignment/p1?x=1", "replica", "demo-us", "consignment", "p1"],
    ["http://127.0.0.1:8789/demo/history", "replica", "demo", "history", undefined],
  ])("%s", (url, host, prefix, kind, id) => {
    const page = detectPage(url);
    expect(page).toMatchObject({ host, prefix, kind });
    expect(page?.id).toBe(id);
  });

  it.each([
    "https://secure.retail.lightspeed.app/connect",
    "https://acme.retail.lightspeed.app/webregister/",
    "https://acme.retail.lightspeed.app/consignment/new",
    "https://evil.example/register/closures",
    "http://acme.retail.lightspeed.app/register/closures",
    "https://acme.retail.lightspeed.app.evil.example/register/closures",
    "http://127.0.0.1:8789/register/closures",
    "not a url",
  ])("is not a back-office page we handle: %s", (url) => {
    expect(detectPage(url)).toBeNull();
  });

  it("tells back-office origins (where content-script messages may come from) from others", () => {
    expect(isBackOfficeUrl("https://acme.retail.lightspeed.app/anything")).toBe(true);
    expect(isBackOfficeUrl("http://127.0.0.1:8789/demo/history")).toBe(true);
    expect(isBackOfficeUrl("https://example.com/")).toBe(false);
    expect(isBackOfficeUrl("https://retail.lightspeed.app.example.com/")).toBe(false);
    expect(isBackOfficeUrl(undefined)).toBe(false);
  });

  it("takes object ids from links", () => {
    expect(closureIdOfHref("/demo/register/closure/summary/abc-1")).toBe("abc-1");
    expect(closureIdOfHref("register/closure/summary/abc-1?x")).toBe("abc-1");
    expect(closureIdOfHref("/register/closures")).toBeNull();
    expect(consignmentIdOfHref("https://a.retail.lightspeed.app/consignment/p-9")).toBe("p-9");
    expect(consignmentIdOfHref("/consignment/new")).toBeNull();
    expect(saleIdOfHref("#5f1e")).toBe("5f1e");
    expect(saleIdOfHref("/history#5f1e")).toBe("5f1e");
    expect(saleIdOfHref("#")).toBeNull();
  });
});

describe("money as the back office writes it", () => {
  it.each([
    ["$1,234.56", 123456],
    ["-$1.50", -150],
    ["($1.50)", -150],
    ["$0.00", 0],
    ["1 234,56 $", 123456],
    ["1\u00a0234,5 $", 123450],
    ["$12", 1200],
    ["$1,234", 123400],
    ["—", null],
    ["", null],
  ])("%s → %s cents", (text, cents) => {
    expect(parseMoney(text)).toBe(cents);
  });
});
