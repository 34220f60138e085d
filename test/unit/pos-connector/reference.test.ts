import { describe, expect, it } from "vitest";
import type { TillbridgeError } from "../../../shared/errors";
import { toGiftCardExpiries, toStoreCreditIssues } from "../../../worker/pos/mappers/liabilities";
import {
  isGiftCardProduct,
  mapEach,
  toCategories,
  toCustomer,
  toOutlet,
  toPaymentType,
  toProductInfo,
  toSupplier,
  toTax,
} from "../../../worker/pos/mappers/reference";
import { customers } from "./fixtures";

describe("reference lists", () => {
  it("payment types, deleted ones included and marked", () => {
    expect(toPaymentType({ id: "0adaafb3", name: "Gift Card", type_id: 118, version: 1120194938 })).toEqual({
      id: "0adaafb3",
      name: "Gift Card",
      typeId: 118,
      deleted: false,
    });
    expect(
      toPaymentType({ id: "x", name: "Afterpay", type_id: "30", deleted_at: "2026-01-01T00:00:00Z" }),
    ).toMatchObject({ typeId: 30, deleted: true });
  });

  it("categories with their full path, from category_path or by walking parents", () => {
    const cats = toCategories(
      [
        { id: "root", name: "Apparel", leaf_category: false },
        { id: "shirts", name: "Shirts", parent_category_id: "root", leaf_category: true },
        {
          id: "tees",
          name: "T-Shirts",
          category_path: [
            { id: "root", name: "Apparel" },
            { id: "shirts", name: "Shirts" },
            { id: "tees", name: "T-Shirts" },
          ],
        },
        { id: "gone", name: "Old", deleted_at: "2025-01-01T00:00:00Z" },
      ],
      () => {},
    );
    expect(cats).toEqual([
      { id: "root", name: "Apparel", path: "Apparel", leaf: false },
      { id: "shirts", name: "Shirts", path: "Apparel / Shirts", leaf: true },
      { id: "tees", name: "T-Shirts", path: "Apparel / Shirts / T-Shirts", leaf: true },
    ]);
  });

  it("taxes with their rates as exact decimal text; a 2.0 single-rate tax is its own rate", () => {
    expect(
      toTax({
        id: "g",
        name: "GST",
        display_name: "GST",
        rates: [{ id: "r", name: "GST", display_name: "GST", rate: 0.15 }],
        deleted_at: null,
        is_default: true,
        version: 3,
      }),
    ).toEqual({
      id: "g",
      name: "GST",
      rates: [{ id: "r", name: "GST", rate: "0.15" }],
      deleted: false,
    });
    expect(toTax({ id: "v", name: "VAT", rate: "0.2" }).rates).toEqual([{ id: "v", name: "VAT", rate: "0.2" }]);
  });

  it("outlets with an IANA time zone, falling back to the retailer's; an unknown zone is refused", () => {
    expect(
      toOutlet({ id: "o", name: "Main", time_zone: "America/Toronto", currency: "CAD" }, "Pacific/Auckland"),
    ).toEqual({ id: "o", name: "Main", timeZone: "America/Toronto", currency: "CAD" });
    expect(toOutlet({ id: "o", name: "Main", time_zone: null }, "Pacific/Auckland").timeZone).toBe("Pacific/Auckland");
    expect(() => toOutlet({ id: "o", name: "Main", time_zone: "Mars/Olympus" }, null)).toThrow(
      "outlet o: time_zone: unknown time zone",
    );
    expect(() => toOutlet({ id: "o", name: "Main" }, null)).toThrow("outlet o: time_zone: missing");
  });

  it("products: leaf category from either API generation; the Gift Card product is recognised", () => {
    expect(toProductInfo({ id: "p", name: "Tee", sku: 1234, product_category: { id: "tees" } })).toEqual({
      id: "p",
      name: "Tee",
      sku: "1234",
      categoryId: "tees",
      deleted: false,
    });
    expect(
      toProductInfo({
        id: "p",
        name: "Tee",
        variant_name: "Large",
        product_type_id: "shirts",
        deleted_at: "2026-01-01",
      }),
    ).toMatchObject({ name: "Tee / Large", categoryId: "shirts", deleted: true });
    expect(isGiftCardProduct({ id: "g", name: "Gift Card", handle: "gift-card" })).toBe(true);
    expect(isGiftCardProduct({ id: "g", name: "Gift Cardigan", handle: "cardigan" })).toBe(false);
  });

  it("refuses a product whose name is absurdly long, naming it", () => {
    expect(() => toProductInfo({ id: "p-long", name: "é".repeat(2001) })).toThrow(
      "product p-long: name: longer than 2000 characters",
    );
  });

  it("customers and suppliers in the domain's words", () => {
    expect(
      toCustomer({
        id: "c",
        first_name: "Zoë",
        last_name: "Tremblay",
        company_name: "",
        email: null,
        customer_code: "ZT-1",
      }),
    ).toEqual({
      id: "c",
      firstName: "Zoë",
      lastName: "Tremblay",
      companyName: null,
      email: null,
      customerCode: "ZT-1",
    });
    expect(toCustomer({ id: "c", name: "Jean-Luc Picard" })).toMatchObject({
      firstName: "Jean-Luc",
      lastName: "Picard",
    });
    expect(toSupplier({ id: "s", name: "Peak", contact: { company_name: "Peak Ltd", email: "ap@peak.test" } })).toEqual(
      {
        id: "s",
        name: "Peak",
        companyName: "Peak Ltd",
        firstName: null,
        lastName: null,
        email: "ap@peak.test",
      },
    );
  });

  it("maps each object on its own: one bad object is reported, the rest still map", () => {
    const errors: unknown[] = [];
    const out = mapEach([{ id: "a", name: "Cash" }, { id: "b" }, { id: "c", name: "Card" }], toPaymentType, (e) =>
      errors.push(e),
    );
    expect(out.map((p) => p.id)).toEqual(["a", "c"]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as TillbridgeError).detail).toBe("payment type b: name: missing");
  });
});

describe("gift-card expiries and manual store-credit issues", () => {
  it("one expiry per EXPIRING transaction, the expired balance positive", () => {
    const cards = [
      {
        id: "gc-1",
        number: "6001000100",
        balance: "0.00",
        status: "EXPIRED",
        gift_card_transactions: [
          { id: "t1", type: "ACTIVATION", amount: "50.00", created_at: "2025-11-01T10:00:00Z" },
          { id: "t2", type: "REDEEMING", amount: "-12.50", created_at: "2026-01-01T10:00:00Z" },
          { id: "t3", type: "EXPIRING", amount: "-37.50", created_at: "2026-11-01T05:00:00Z" },
        ],
      },
      { id: "gc-2", number: 6001000200, balance: "10", gift_card_transactions: [] },
    ];
    expect(toGiftCardExpiries(cards, "America/Toronto")).toEqual([
      {
        transactionId: "t3",
        giftCardId: "gc-1",
        giftCardNumber: "6001000100",
        amountMinor: 3750,
        occurredAt: "2026-11-01T05:00:00Z",
        timeZone: "America/Toronto",
      },
    ]);
  });

  it("store credit issued by hand is an ISSUE without a sale; credit issued by a return is not", () => {
    const raw = [
      {
        customer_id: customers[0]!.id,
        balance: 60,
        store_credit_transactions: [
          { id: "s1", type: "ISSUE", amount: 25, created_at: "2026-11-02T15:00:00Z", sale_id: null, notes: "goodwill" },
          { id: "s2", type: "ISSUE", amount: 40, created_at: "2026-11-02T16:00:00Z", sale_id: "ret-1", notes: "" },
          { id: "s3", type: "REDEMPTION", amount: -5, created_at: "2026-11-03T16:00:00Z", sale_id: "s-9" },
        ],
      },
    ];
    const lookup = (id: string) => customers.find((c) => c.id === id);
    expect(toStoreCreditIssues(raw, lookup, "America/Toronto")).toEqual([
      {
        transactionId: "s1",
        customer: customers[0],
        amountMinor: 2500,
        occurredAt: "2026-11-02T15:00:00Z",
        timeZone: "America/Toronto",
        notes: "goodwill",
      },
    ]);
    expect(() => toStoreCreditIssues(raw, () => undefined, "UTC")).toThrow(
      /store credit customer .*: store_credit_transactions\[0\]: unknown customer/,
    );
  });
});
