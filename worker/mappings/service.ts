import { z } from "zod";
import type { MappingOptions, UnmappedResponse } from "../../shared/api";
import type { PosCategory, PosPaymentType, PosTax } from "../../shared/domain/pos";
import type { QboAccount, QboRefs, QboTaxCode } from "../../shared/domain/qbo";
import type { Lang } from "../../shared/errors";
import type { Mappings, PaymentTypeMapping } from "../../shared/mappings";
import { parseDec, cmpDec, mulDec } from "../../shared/money";
import { createPosConnector } from "../pos/port";
import { openQboPort } from "../qbo/port";
import type { Services } from "../services";
import { FIXED_MAPPINGS, mappingValue } from "./catalog";

/**
 * What the options page needs to map: the live lists of both systems, what is unmapped (and what it
 * blocks now), and suggestions by name and account type.
 */
export interface Lists {
  refs: QboRefs;
  customers: { id: string; name: string; active: boolean }[];
  pos: {
    paymentTypes: PosPaymentType[];
    categories: PosCategory[];
    taxes: PosTax[];
    outlets: { id: string; name: string }[];
  };
}

const CustomerRow = z.object({ Id: z.string(), DisplayName: z.string(), Active: z.boolean().optional() }).passthrough();

export async function loadLists(s: Services, tenantId: string, reload: boolean): Promise<Lists> {
  const port = await openQboPort(s, tenantId);
  const pos = createPosConnector(s, tenantId);
  const [refs, lists, customers] = await Promise.all([
    port.refs({ reload }),
    pos.referenceLists({ reload }),
    port.client.query("select * from Customer", CustomerRow),
  ]);
  return {
    refs,
    customers: customers.map((c) => ({ id: c.Id, name: c.DisplayName, active: c.Active !== false })),
    pos: { paymentTypes: lists.paymentTypes, categories: lists.categories, taxes: lists.taxes, outlets: lists.outlets },
  };
}

export function toOptions(l: Lists): MappingOptions {
  const named = <T extends { id: string; name: string; active: boolean }>(xs: T[]) =>
    xs.map((x) => ({ id: x.id, name: x.name, active: x.active }));
  return {
    qbo: {
      companyName: l.refs.companyName,
      country: l.refs.country,
      accounts: l.refs.accounts.map((a) => ({
        id: a.id,
        name: a.fullyQualifiedName || a.name,
        active: a.active,
        detail: a.accountType,
        accountType: a.accountType,
        accountSubType: a.accountSubType,
      })),
      items: l.refs.items.map((i) => ({
        id: i.id,
        name: i.name,
        active: i.active,
        detail: i.type,
        type: i.type,
        incomeAccountId: i.incomeAccountId,
      })),
      taxCodes: named(l.refs.taxCodes),
      classes: named(l.refs.classes),
      departments: named(l.refs.departments),
      customers: l.customers,
      fetchedAt: l.refs.fetchedAt,
    },
    pos: {
      paymentTypes: l.pos.paymentTypes.map((p) => ({ id: p.id, name: p.name, active: !p.deleted, deleted: p.deleted })),
      categories: l.pos.categories.map((c) => ({ id: c.id, name: c.path || c.name, active: true })),
      taxes: l.pos.taxes.map((t) => ({
        id: t.id,
        name: t.name,
        active: !t.deleted,
        detail: t.rates.map((r) => `${r.name} ${r.rate}`).join(" + "),
      })),
      outlets: l.pos.outlets.map((o) => ({ id: o.id, name: o.name, active: true })),
    },
  };
}

/** Unmapped keys with what they block, and how many sync items wait on each now. */
export function unmapped(
  l: Lists,
  mappings: Mappings,
  blockedCounts: Map<string, number>,
  lang: Lang,
): UnmappedResponse {
  const global = l.refs.country !== "US";
  const m = mappings as unknown as Record<string, unknown>;
  const missing: UnmappedResponse["missing"] = [];
  const add = (
    mappingKey: string,
    label: string,
    required: boolean,
    blocks: UnmappedResponse["missing"][number]["blocks"],
  ) => missing.push({ mappingKey, label, required, blocks, blockedCount: blockedCounts.get(mappingKey) ?? 0 });
  const fr = lang === "fr";
  for (const pt of l.pos.paymentTypes) {
    if (!mappings.paymentTypes[pt.id])
      add(
        `paymentTypes.${pt.id}`,
        `${fr ? "le mode de paiement" : "payment type"} '${pt.name}'${pt.deleted ? (fr ? " (supprimé)" : " (deleted)") : ""}`,
        !pt.deleted,
        ["closure", "sale_payment"],
      );
  }
  for (const c of l.pos.categories.filter((c) => c.leaf)) {
    if (!mappings.categories[c.id])
      add(`categories.${c.id}`, `${fr ? "la catégorie" : "category"} '${c.path || c.name}'`, true, ["closure", "sale"]);
  }
  for (const t of l.pos.taxes.filter((t) => !t.deleted)) {
    const tm = mappings.taxes[t.id];
    const done = global ? Boolean(tm?.taxCodeId) : tm?.taxable !== undefined;
    if (!done) add(`taxes.${t.id}`, `${fr ? "la taxe du POS" : "POS tax"} '${t.name}'`, true, ["closure", "sale"]);
  }
  for (const f of FIXED_MAPPINGS) {
    if (f.globalTaxOnly && !global) continue;
    if (mappingValue(m, f.key) === undefined) add(f.key, f.label[lang], f.required, f.blocks);
  }
  // anything items wait on that the lists above do not name (e.g. a deleted category still on old sales)
  for (const [key, n] of blockedCounts) {
    if (n > 0 && key !== "*" && !missing.some((x) => x.mappingKey === key) && mappingValue(m, key) === undefined)
      add(key, key, true, []);
  }
  return { missing };
}

const norm = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
const has = (s: string, ...words: string[]) => words.some((w) => norm(s).includes(w));

function account(refs: QboRefs, pred: (a: QboAccount) => boolean): QboAccount | undefined {
  return refs.accounts.find((a) => a.active && pred(a));
}

/** A QBO tax code whose sales rates are exactly the POS tax's rates (by percentage). */
function taxCodeFor(tax: PosTax, codes: QboTaxCode[]): QboTaxCode | undefined {
  const hundred = parseDec(100);
  const want = tax.rates.map((r) => mulDec(parseDec(r.rate), hundred)).filter((d) => d.m !== 0n);
  return codes.find((c) => {
    if (!c.active) return false;
    const got = c.salesRates.map((r) => parseDec(r.ratePercent)).filter((d) => d.m !== 0n);
    if (got.length !== want.length) return false;
    if (want.length === 0) return /exempt|zero|exon/i.test(c.name);
    return want.every((w) => got.some((g) => cmpDec(g, w) === 0));
  });
}

export interface Suggestion {
  mappingKey: string;
  value: unknown;
  label: string;
  why: string;
}

/** A value for each unmapped key Tillbridge can guess with confidence, with why. */
export function suggest(l: Lists, mappings: Mappings): Suggestion[] {
  const out: Suggestion[] = [];
  const { refs } = l;
  const m = mappings as unknown as Record<string, unknown>;
  const unset = (key: string) => mappingValue(m, key) === undefined;
  const clearing = account(
    refs,
    (a) =>
      has(a.name, "closure clearing", "pos clearing", "attente des fermetures") &&
      a.accountType === "Other Current Asset",
  );
  const cardClearing = account(
    refs,
    (a) => has(a.name, "card") && has(a.name, "clearing") && a.accountType === "Other Current Asset",
  );
  const undeposited = account(refs, (a) => a.accountSubType === "UndepositedFunds");
  const cash =
    account(refs, (a) => a.accountSubType === "CashOnHand") ??
    account(refs, (a) => a.accountType === "Bank" && has(a.name, "cash", "caisse"));

  for (const pt of l.pos.paymentTypes) {
    const key = `paymentTypes.${pt.id}`;
    if (!unset(key)) continue;
    let value: PaymentTypeMapping | undefined;
    let why = "";
    if (pt.typeId === 118 || has(pt.name, "gift", "cadeau"))
      [value, why] = [{ role: "gift_card" }, "a gift card payment reduces the gift card liability"];
    else if (has(pt.name, "store credit", "credit en magasin", "credit magasin"))
      [value, why] = [{ role: "store_credit" }, "a store credit payment reduces the store credit liability"];
    else if (has(pt.name, "on account", "account", "layby", "a compte", "credit client"))
      [value, why] = [{ role: "on_account" }, "on-account charges post as their own invoices"];
    else if (has(pt.name, "cash", "comptant", "especes") && cash)
      [value, why] = [{ role: "deposit", accountId: cash.id }, `cash goes to '${cash.name}'`];
    else if (cardClearing ?? undeposited) {
      const to = (cardClearing ?? undeposited)!;
      [value, why] = [
        { role: "deposit", accountId: to.id },
        `card and other payments wait in '${to.name}' until the processor's deposit`,
      ];
    }
    if (value) out.push({ mappingKey: key, value, label: pt.name, why });
  }

  const salesItem = refs.items.find(
    (i) =>
      i.active &&
      (i.type === "Service" || i.type === "NonInventory") &&
      i.incomeAccountId &&
      /^(sales|ventes)$/i.test(i.name),
  );
  for (const c of l.pos.categories.filter((c) => c.leaf)) {
    const key = `categories.${c.id}`;
    if (!unset(key)) continue;
    const same = refs.items.find((i) => i.active && i.incomeAccountId && norm(i.name) === norm(c.name));
    const item = same ?? salesItem;
    if (item)
      out.push({
        mappingKey: key,
        value: item.id,
        label: c.path || c.name,
        why: same ? `same name as '${item.name}'` : `post through the general '${item.name}' item`,
      });
  }

  const global = refs.country !== "US";
  for (const t of l.pos.taxes.filter((t) => !t.deleted)) {
    const key = `taxes.${t.id}`;
    if (!unset(key)) continue;
    if (global) {
      const code = taxCodeFor(t, refs.taxCodes);
      if (code)
        out.push({
          mappingKey: key,
          value: { taxCodeId: code.id },
          label: t.name,
          why: `'${code.name}' has the same rates`,
        });
    } else {
      const taxable = t.rates.some((r) => parseDec(r.rate).m !== 0n);
      const code = refs.taxCodes.find((c) => c.active && c.taxable && c.salesRates.length > 0);
      out.push({
        mappingKey: key,
        value: taxable && code ? { taxable: true, taxCodeId: code.id } : { taxable },
        label: t.name,
        why: taxable ? "taxable in QuickBooks Online (TAX)" : "not taxable (NON)",
      });
    }
  }

  const byName = (words: string[], types: string[]) =>
    account(refs, (a) => types.includes(a.accountType) && has(a.name, ...words));
  const fixed: [string, QboAccount | undefined, string][] = [
    ["accounts.closureClearing", clearing, "a clearing account"],
    [
      "accounts.giftCardLiability",
      byName(["gift card", "carte-cadeau", "cartes-cadeaux"], ["Other Current Liability"]),
      "a gift card liability account",
    ],
    [
      "accounts.storeCreditLiability",
      byName(["store credit", "credit en magasin"], ["Other Current Liability"]),
      "a store credit liability account",
    ],
    [
      "accounts.giftCardBreakage",
      byName(["breakage", "gift card"], ["Income", "Other Income"]),
      "gift card breakage income",
    ],
    ["accounts.storeCreditExpense", byName(["store credit"], ["Expense", "Other Expense"]), "store credit expense"],
    ["accounts.inventoryAsset", account(refs, (a) => a.accountSubType === "Inventory"), "the inventory asset account"],
    [
      "accounts.shipping",
      byName(["freight", "shipping", "transport", "livraison"], ["Cost of Goods Sold", "Expense"]),
      "freight on purchases",
    ],
    ["accounts.duties", byName(["duties", "duty", "douane"], ["Cost of Goods Sold", "Expense"]), "customs duties"],
    [
      "accounts.purchaseDiscount",
      byName(["purchase discount", "escompte"], ["Cost of Goods Sold", "Expense", "Other Income", "Income"]),
      "purchase discounts",
    ],
  ];
  for (const [key, a, why] of fixed)
    if (unset(key) && a)
      out.push({ mappingKey: key, value: a.id, label: a.name, why: `'${a.name}' looks like ${why}` });

  // only what the postings can use: a Service or NonInventory item with an income account
  const item = (words: string[], postsTo?: (accountId: string) => boolean) =>
    refs.items.find(
      (i) =>
        i.active &&
        (i.type === "Service" || i.type === "NonInventory") &&
        i.incomeAccountId &&
        has(i.name, ...words) &&
        (!postsTo || postsTo(i.incomeAccountId)),
    );
  // a liability service must post to the liability account itself, or a closure would raise one account and redemptions lower another
  const liabilityAccount = (key: string) =>
    (mappingValue(m, key) as string | undefined) ?? out.find((x) => x.mappingKey === key)?.value;
  const postsToLiability = (key: string) => (accountId: string) => {
    const target = liabilityAccount(key);
    return target
      ? accountId === target
      : refs.accounts.some((a) => a.id === accountId && a.accountType === "Other Current Liability");
  };
  const items: [string, string[], ((accountId: string) => boolean)?][] = [
    ["items.discount", ["discount", "rabais", "remise"]],
    ["items.giftCardLiability", ["gift card", "carte-cadeau"], postsToLiability("accounts.giftCardLiability")],
    [
      "items.storeCreditLiability",
      ["store credit", "credit en magasin"],
      postsToLiability("accounts.storeCreditLiability"),
    ],
    ["items.tillDiscrepancy", ["over/short", "over and short", "discrepanc", "ecart"]],
    ["items.rounding", ["rounding", "arrondi"]],
  ];
  for (const [key, words, postsTo] of items) {
    const found = unset(key) ? item(words, postsTo) : undefined;
    if (found)
      out.push({ mappingKey: key, value: found.id, label: found.name, why: `'${found.name}' matches by name` });
  }
  if (global) {
    const exempt =
      refs.taxCodes.find((c) => c.active && /exempt|exon/i.test(c.name)) ??
      refs.taxCodes.find((c) => c.active && /zero/i.test(c.name));
    if (unset("nonTaxableTaxCodeId") && exempt)
      out.push({
        mappingKey: "nonTaxableTaxCodeId",
        value: exempt.id,
        label: exempt.name,
        why: "gift cards, liabilities and over/short carry no tax",
      });
    const purchase = refs.taxCodes
      .filter((c) => c.active && c.purchaseRates.length > 0)
      .sort((a, b) => b.purchaseRates.length - a.purchaseRates.length)[0];
    if (unset("purchaseTaxCodeId") && (purchase ?? exempt)) {
      const code = (purchase ?? exempt)!;
      out.push({
        mappingKey: "purchaseTaxCodeId",
        value: code.id,
        label: code.name,
        why: purchase ? "claims input tax credits on purchases" : "no purchase tax code with rates",
      });
    }
  }
  const posCustomer = l.customers.find(
    (c) => c.active && has(c.name, "pos sales", "retail pos", "ventes pos", "ventes au comptoir"),
  );
  if (unset("closureCustomerId") && posCustomer)
    out.push({
      mappingKey: "closureCustomerId",
      value: posCustomer.id,
      label: posCustomer.name,
      why: "a customer for the store's own sales",
    });
  return out;
}
