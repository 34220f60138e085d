import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { MappingOptions, MappingsDocument, SuggestionsResponse, UnmappedResponse } from "../../../shared/api";
type Suggestions = z.infer<typeof SuggestionsResponse>;
import type { ApiError } from "../../../shared/errors";
import type { Mappings } from "../../../shared/mappings";
import type { z } from "zod";
import type { MappingChangesResponse } from "../../../shared/api";
import { bookkeeper, forgetEverything, itemsOf, trade } from "../drift/helpers";
import { createStack, type Stack, TENANT } from "../support/stack";

afterEach(forgetEverything);

const getDoc = async (stack: Stack) => (await stack.api<MappingsDocument>("/api/mappings")).body;
const put = (stack: Stack, version: number, mappings: Mappings) =>
  stack.api<MappingsDocument & ApiError>("/api/mappings", { method: "PUT", body: { version, mappings } });
const account = (stack: Stack, name: string) =>
  stack.qbo.trialBalance(stack.realmId).find((a) => a.name === name)!.accountId;
const posType = (stack: Stack, kind: string) =>
  Object.values(stack.pos.store(TENANT).paymentTypes).find((p) => p.kind === kind && p.deletedAt === null)!;

describe("mappings: read, save, validate, history", () => {
  it("saves with an optimistic version, names every invalid field, and keeps every change with who, when, before and after", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    const doc = await getDoc(stack);
    expect(doc.version).toBe(1);
    const cash = posType(stack, "cash");
    const card = posType(stack, "card");
    const [category] = Object.keys(doc.mappings.categories);
    const outlet = Object.values(stack.pos.store(TENANT).outlets)[0]!;

    // shape: a deposit without its account, an empty item id
    const shape = await put(stack, 1, {
      ...doc.mappings,
      paymentTypes: { ...doc.mappings.paymentTypes, [cash.id]: { role: "deposit" } as never },
      categories: { ...doc.mappings.categories, [category!]: "" },
    });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe("bad_request");
    expect(Object.keys(shape.body.error.fields!).sort()).toEqual(
      [`mappings.categories.${category}`, `mappings.paymentTypes.${cash.id}.accountId`].sort(),
    );

    // meaning: every id checked against the live company, each problem on its own field
    const income = account(stack, "Sales of Product Income");
    const inactive = account(stack, "Petty cash (old)");
    const bad: Mappings = {
      ...doc.mappings,
      paymentTypes: {
        ...doc.mappings.paymentTypes,
        [cash.id]: { role: "deposit", accountId: income },
        [card.id]: { role: "deposit", accountId: inactive },
      },
      categories: { ...doc.mappings.categories, [category!]: "999999" },
      items: { ...doc.mappings.items, giftCardLiability: doc.mappings.items.discount! },
      accounts: { ...doc.mappings.accounts, inventoryAsset: income },
      outlets: { [outlet.id]: { classId: "424242" } },
    };
    const meaning = await put(stack, 1, bad);
    expect(meaning.status).toBe(400);
    expect(meaning.body.error.fields).toEqual({
      [`mappings.paymentTypes.${cash.id}.accountId`]: expect.stringContaining(
        "is of type Income; it must be Bank or Other Current Asset",
      ),
      [`mappings.paymentTypes.${card.id}.accountId`]: "QBO account 'Petty cash (old)' is inactive",
      [`mappings.categories.${category}`]: "QBO product/service 999999 no longer exists",
      "mappings.items.giftCardLiability": expect.stringContaining("not to the gift card liability account"),
      "mappings.accounts.inventoryAsset": expect.stringContaining("is of type Income"),
      [`mappings.outlets.${outlet.id}.classId`]: "QBO class 424242 does not exist",
    });
    expect((await getDoc(stack)).version).toBe(1); // nothing saved

    // a good save, then a second save from the same version: the second is told, not silently applied
    const undeposited = account(stack, "Undeposited Funds");
    const v2 = await put(stack, 1, {
      ...doc.mappings,
      paymentTypes: { ...doc.mappings.paymentTypes, [card.id]: { role: "deposit", accountId: undeposited } },
    });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, updatedBy: "user:demo" });
    const stale = await put(stack, 1, doc.mappings);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("conflict");
    expect(stale.body.error.detail).toBe("mappings are at version 2, not 1");
    const v3 = await put(stack, 2, { ...v2.body.mappings, purchaseTaxCodeId: doc.mappings.nonTaxableTaxCodeId! });
    expect(v3.status).toBe(200);

    const changes = (await stack.api<z.infer<typeof MappingChangesResponse>>("/api/mappings/changes")).body.changes;
    expect(changes.map((c) => [c.version, c.actor])).toEqual([
      [3, "user:demo"],
      [2, "user:demo"],
      [1, "user:demo"],
    ]);
    expect(changes[0]!.before).toEqual(changes[1]!.after);
    expect(changes[1]!.before).toEqual(changes[2]!.after);
    expect(changes[1]!.after.paymentTypes[card.id]).toEqual({ role: "deposit", accountId: undeposited });
    expect(changes[2]!.before).toEqual(
      JSON.parse(
        JSON.stringify({
          categories: {},
          paymentTypes: {},
          taxes: {},
          outlets: {},
          adjustmentTypes: {},
          items: {},
          accounts: {},
          shrinkage: {},
          options: { autoSendPurchaseOrders: false, postCogs: true, cogsPerCategory: false },
        }),
      ),
    );
    for (const c of changes) expect(Date.parse(c.at)).not.toBeNaN();
    const trail = await env.DB.prepare(
      "SELECT actor, detail FROM audit_log WHERE tenant_id = ?1 AND action = 'mapping' ORDER BY id",
    )
      .bind(TENANT)
      .all();
    expect(trail.results).toEqual([1, 2, 3].map((v) => ({ actor: "user:demo", detail: `version ${v}` })));
  });

  it("offers the live QBO company's lists, reloaded on demand: a new account shows only after a reload", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack();
    const first = await stack.api<MappingOptions>("/api/mappings/options");
    expect(first.status).toBe(200);
    expect(first.body.qbo.companyName).toBe("Boutique Tillbridge Démo Inc.");
    expect(first.body.pos.paymentTypes.find((p) => p.deleted)?.name).toBe("Chèque"); // deleted payment types included
    expect(first.body.qbo.accounts.find((a) => a.name === "Petty cash (old)")).toMatchObject({ active: false });

    const client = await bookkeeper(stack);
    const made = await client.create(
      "Account",
      { Name: "Shopify clearing", AccountType: "Other Current Asset", AccountSubType: "OtherCurrentAssets" },
      "new-account-1",
    );
    const cached = await stack.api<MappingOptions>("/api/mappings/options");
    expect(cached.body.qbo.accounts.some((a) => a.id === made.Id)).toBe(false);
    expect(cached.body.qbo.fetchedAt).toBe(first.body.qbo.fetchedAt);
    const reloaded = await stack.api<MappingOptions>("/api/mappings/options?reload=1");
    expect(reloaded.body.qbo.accounts.find((a) => a.id === made.Id)).toMatchObject({
      name: "Shopify clearing",
      accountType: "Other Current Asset",
      active: true,
    });
    expect(reloaded.body.qbo.fetchedAt > first.body.qbo.fetchedAt).toBe(true);
    expect(
      (await stack.api<MappingOptions>("/api/mappings/options")).body.qbo.accounts.some((a) => a.id === made.Id),
    ).toBe(true);
  });
});

describe("mappings: what is unmapped, blocked items, and healing", () => {
  it("lists exactly what is missing with what it blocks and how many items wait on it; saving the mapping posts them with no click", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    const doc = await getDoc(stack);
    const cash = posType(stack, "cash");
    const { [cash.id]: cashMapping, ...paymentTypes } = doc.mappings.paymentTypes;
    const { rounding, ...items } = doc.mappings.items;
    const { accountsPayable: _ap, ...accounts } = doc.mappings.accounts;
    const removed = await put(stack, 1, { ...doc.mappings, paymentTypes, items, accounts });
    expect(removed.status).toBe(200);

    await trade(stack);
    const blocked = await itemsOf("closure", "blocked");
    expect(blocked.length).toBeGreaterThanOrEqual(3);
    const waiting = await env.DB.prepare(
      "SELECT blocked_on, COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state = 'blocked' GROUP BY blocked_on",
    )
      .bind(TENANT)
      .all<{ blocked_on: string; n: number }>();
    const count = (key: string) => waiting.results.find((r) => r.blocked_on === `mapping:${key}`)?.n ?? 0;
    expect(count(`paymentTypes.${cash.id}`)).toBeGreaterThanOrEqual(blocked.length);

    const unmapped = await stack.api<UnmappedResponse>("/api/mappings/unmapped");
    expect(unmapped.body.missing.sort((a, b) => a.mappingKey.localeCompare(b.mappingKey))).toEqual(
      [
        {
          mappingKey: `paymentTypes.${cash.id}`,
          label: "payment type 'Cash'",
          required: true,
          blockedCount: count(`paymentTypes.${cash.id}`),
          blocks: ["closure", "sale_payment"],
        },
        {
          mappingKey: "items.rounding",
          label: "the rounding item",
          required: true,
          blockedCount: count("items.rounding"),
          blocks: ["closure", "sale"],
        },
        {
          mappingKey: "accounts.accountsPayable",
          label: "the accounts payable account (optional)",
          required: false,
          blockedCount: 0,
          blocks: [],
        },
        {
          mappingKey: "accounts.cogs",
          label: "the cost of goods sold account (optional)",
          required: false,
          blockedCount: 0,
          blocks: [],
        },
      ].sort((a, b) => a.mappingKey.localeCompare(b.mappingKey)),
    );
    const fr = await stack.api<UnmappedResponse>("/api/mappings/unmapped", { lang: "fr" });
    expect(fr.body.missing.find((m) => m.mappingKey === "items.rounding")!.label).toBe("l'article d'arrondi");

    // the fix: both mappings back; every blocked item posts by itself, dated with the mapping version it used
    const current = await getDoc(stack);
    const healed = await put(stack, current.version, {
      ...current.mappings,
      paymentTypes: { ...current.mappings.paymentTypes, [cash.id]: cashMapping! },
      items: { ...current.mappings.items, rounding: rounding! },
    });
    expect(healed.status).toBe(200);
    await stack.settle();
    for (
      let i = 0;
      i < 5 &&
      (await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM sync_items WHERE tenant_id = ?1 AND state NOT IN ('posted', 'not_applicable')",
      )
        .bind(TENANT)
        .first<{ n: number }>())!.n > 0;
      i++
    )
      await stack.cron();
    const states = await env.DB.prepare(
      "SELECT kind, pos_id, state, mapping_version FROM sync_items WHERE tenant_id = ?1 AND kind = 'closure'",
    )
      .bind(TENANT)
      .all<{ pos_id: string; state: string; mapping_version: number }>();
    for (const b of blocked)
      expect(states.results.find((r) => r.pos_id === b.pos_id)).toMatchObject({
        state: "posted",
        mapping_version: healed.body.version,
      });
    // no click: nothing but the save, the engine and the cron acted
    const actors = await env.DB.prepare(
      "SELECT DISTINCT actor FROM audit_log WHERE tenant_id = ?1 AND action = 'post' AND pos_id = ?2",
    )
      .bind(TENANT, blocked[0]!.pos_id)
      .all<{ actor: string }>();
    expect(actors.results.length).toBeGreaterThan(0);
    expect(actors.results.map((r) => r.actor).every((a) => a === "system" || a === "cron")).toBe(true);
    expect((await stack.api<UnmappedResponse>("/api/mappings/unmapped")).body.missing.map((m) => m.mappingKey)).toEqual(
      // the standard setup maps the default shrinkage account too
      ["accounts.accountsPayable", "accounts.cogs"],
    );
  });
});

describe("mappings: suggestions and the standard accounts", () => {
  it("suggests each fixed key by name and account type, and each payment type, category and tax", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack({ noMappings: true });
    const client = await bookkeeper(stack);
    const made: Record<string, string> = {};
    const acct = async (key: string, Name: string, AccountType: string, AccountSubType: string) =>
      (made[key] = (await client.create("Account", { Name, AccountType, AccountSubType }, `a-${key}`)).Id);
    await acct("clearing", "POS clearing", "Other Current Asset", "OtherCurrentAssets");
    await acct("cardClearing", "Card clearing", "Other Current Asset", "OtherCurrentAssets");
    await acct("gcLiability", "Gift card liability", "Other Current Liability", "OtherCurrentLiabilities");
    await acct("gcDecoy", "Gift card promotions", "Expense", "AdvertisingPromotional"); // a name match of the wrong type
    await acct("scLiability", "Store credit liability", "Other Current Liability", "OtherCurrentLiabilities");
    await acct("breakage", "Gift card breakage", "Other Income", "OtherMiscellaneousIncome");
    await acct("scExpense", "Store credit expense", "Expense", "AdvertisingPromotional");
    await acct("duties", "Customs duties", "Cost of Goods Sold", "OtherCostsOfServiceCos");
    await acct("purchaseDiscount", "Purchase discounts", "Cost of Goods Sold", "SuppliesMaterialsCogs");
    await acct("overShort", "Over and short", "Other Expense", "OtherMiscellaneousExpense");
    const item = async (key: string, Name: string, income: string, Type = "Service") =>
      (made[key] = (
        await client.create(
          "Item",
          {
            Name,
            Type,
            IncomeAccountRef: { value: income },
            ExpenseAccountRef: { value: account(stack, "Cost of Goods Sold") },
          },
          `i-${key}`,
        )
      ).Id);
    await item("discount", "Discount", account(stack, "Discounts given"));
    await item("gcItemDecoy", "Gift card sales", account(stack, "Sales of Product Income")); // posts to income, not the liability
    await item("gcItem", "Gift card", made.gcLiability!);
    await item("scItem", "Store credit", made.scLiability!);
    await item("overShortItem", "Over/short", made.overShort!);
    await item("rounding", "Rounding", made.overShort!);
    made.customer = (await client.create("Customer", { DisplayName: "POS Sales" }, "c-pos")).Id;
    expect((await stack.api("/api/mappings/options?reload=1")).status).toBe(200);

    const res = await stack.api<Suggestions>("/api/mappings/suggestions");
    expect(res.status).toBe(200);
    const value = (key: string) => res.body.suggestions.find((x) => x.mappingKey === key)?.value;
    expect({
      closureClearing: value("accounts.closureClearing"),
      giftCardLiability: value("accounts.giftCardLiability"),
      storeCreditLiability: value("accounts.storeCreditLiability"),
      giftCardBreakage: value("accounts.giftCardBreakage"),
      storeCreditExpense: value("accounts.storeCreditExpense"),
      inventoryAsset: value("accounts.inventoryAsset"),
      shipping: value("accounts.shipping"),
      duties: value("accounts.duties"),
      purchaseDiscount: value("accounts.purchaseDiscount"),
      discount: value("items.discount"),
      giftCardItem: value("items.giftCardLiability"),
      storeCreditItem: value("items.storeCreditLiability"),
      tillDiscrepancy: value("items.tillDiscrepancy"),
      rounding: value("items.rounding"),
      closureCustomer: value("closureCustomerId"),
    }).toEqual({
      closureClearing: made.clearing,
      giftCardLiability: made.gcLiability,
      storeCreditLiability: made.scLiability,
      giftCardBreakage: made.breakage,
      storeCreditExpense: made.scExpense,
      inventoryAsset: account(stack, "Inventory Asset"),
      shipping: account(stack, "Freight and delivery"),
      duties: made.duties,
      purchaseDiscount: made.purchaseDiscount,
      discount: made.discount,
      giftCardItem: made.gcItem,
      storeCreditItem: made.scItem,
      tillDiscrepancy: made.overShortItem,
      rounding: made.rounding,
      closureCustomer: made.customer,
    });

    const taxCodes = (await stack.api<MappingOptions>("/api/mappings/options")).body.qbo.taxCodes;
    const code = (name: string) => taxCodes.find((c) => c.name === name)!.id;
    expect(value("nonTaxableTaxCodeId")).toBe(code("Exempt"));
    expect(value("purchaseTaxCodeId")).toBe(code("GST/QST QC - 9.975"));

    const store = stack.pos.store(TENANT);
    const types = Object.values(store.paymentTypes);
    const byKind = (kind: string) => value(`paymentTypes.${types.find((t) => t.kind === kind)!.id}`);
    expect(byKind("cash")).toEqual({ role: "deposit", accountId: account(stack, "Cash on hand") });
    expect(byKind("card")).toEqual({ role: "deposit", accountId: made.cardClearing });
    expect(byKind("gift_card")).toEqual({ role: "gift_card" });
    expect(byKind("store_credit")).toEqual({ role: "store_credit" });
    expect(byKind("on_account")).toEqual({ role: "on_account" });
    const sales = (await client.query("select * from Item where Name = 'Sales'"))[0] as { Id: string };
    for (const c of Object.values(store.categories).filter(
      (c) => !Object.values(store.categories).some((x) => x.parentId === c.id),
    )) {
      // a category with an item of its own name takes it (the full activity's "Services"); the rest, Sales
      const own = (await client.query(`select * from Item where Name = '${c.name}'`))[0] as { Id: string } | undefined;
      expect(value(`categories.${c.id}`), c.name).toBe(own?.Id ?? sales.Id);
    }
    const taxed = Object.values(store.taxes).filter(
      (t) => t.deletedAt === null && t.rates.some((r) => /GST|QST/.test(r.name)),
    );
    expect(taxed.length).toBeGreaterThanOrEqual(2);
    for (const t of taxed) {
      const rates = t.rates.map((r) => r.name).join("+");
      expect(value(`taxes.${t.id}`), rates).toEqual({
        taxCodeId: /QST/.test(rates) ? code("GST/QST QC - 9.975") : code("GST"),
      });
    }
    for (const s of res.body.suggestions) expect(s.why.length).toBeGreaterThan(0);
  });

  it("creates the standard accounts and items once, maps what it created, and creates nothing the second time", {
    timeout: 120_000,
  }, async () => {
    const stack = await createStack({ noMappings: true });
    const count = (entity: string) => stack.qbo.entities(stack.realmId, entity).length;
    const first = await stack.api<{
      created: { entity: string; id: string; name: string }[];
      existing: { id: string }[];
      mappings: MappingsDocument;
    }>("/api/mappings/create-standard", { method: "POST" });
    expect(first.status).toBe(200);
    expect(first.body.created.length).toBeGreaterThan(10);
    const m = first.body.mappings.mappings;
    const id = (name: string) => first.body.created.find((c) => c.name === name)?.id;
    expect(m.accounts).toMatchObject({
      closureClearing: id("Tillbridge closure clearing"),
      giftCardLiability: id("Gift card liability"),
      storeCreditLiability: id("Store credit liability"),
      giftCardBreakage: id("Gift card breakage income"),
    });
    expect(m.items.giftCardLiability).toBe(
      first.body.created.find((c) => c.entity === "Item" && c.name === "Gift card liability")!.id,
    );
    expect(m.closureCustomerId).toBe(id("POS Sales"));
    const unmapped = await stack.api<UnmappedResponse>("/api/mappings/unmapped");
    expect(unmapped.body.missing.filter((x) => x.required)).toEqual([]);

    const counts = { Account: count("Account"), Item: count("Item"), Customer: count("Customer") };
    const logFrom = stack.qbo.requestLog(stack.realmId).length;
    const second = await stack.api<typeof first.body>("/api/mappings/create-standard", { method: "POST" });
    expect(second.status).toBe(200);
    expect(second.body.created).toEqual([]);
    expect(second.body.existing.map((e) => e.id).sort()).toEqual(
      [...first.body.created.map((c) => c.id), ...first.body.existing.map((e) => e.id)].sort(),
    );
    expect({ Account: count("Account"), Item: count("Item"), Customer: count("Customer") }).toEqual(counts);
    expect(
      stack.qbo
        .requestLog(stack.realmId)
        .slice(logFrom)
        .filter((r) => r.write),
    ).toEqual([]);
    expect(second.body.mappings.mappings).toEqual(m);
    for (const entity of ["Account", "Item"]) {
      const names = (stack.qbo.entities(stack.realmId, entity) as { Name: string }[]).map((x) => x.Name.toLowerCase());
      expect(new Set(names).size, `${entity} names`).toBe(names.length);
    }
  });
});
