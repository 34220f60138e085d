import type { PosCategory, PosPaymentType, PosTax } from "../../shared/domain/pos";
import type { QboAccount, QboRefs, QboTaxCode } from "../../shared/domain/qbo";
import { aboutText, type Lang } from "../../shared/errors";
import { type SharedKey, type Translator, words } from "../../shared/i18n";
import {
  type AccountEntry,
  appliesTo,
  type CustomerEntry,
  FAMILY_ENTRIES,
  type FamilyName,
  FIXED_ENTRIES,
  type ItemEntry,
  type TaxCodeEntry,
} from "../../shared/mapping-catalog";
import { type Mappings, mappingValue, type PaymentTypeMapping } from "../../shared/mappings";
import { cmpDec, mulDec, parseDec } from "../../shared/money";
import { objectsToMap } from "./pos-objects";
import type { Lists } from "./service";

/**
 * A value for each unmapped key Tillbridge can guess with confidence, with why (in the request's
 * language): POS objects by name, type and rates; fixed keys by the catalog's hints (words in a name
 * among accounts of the right type, an account subtype, an item that posts to the right account).
 */
export interface Suggestion {
  mappingKey: string;
  value: unknown;
  label: string;
  why: string;
}

const norm = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
const has = (s: string, ...words: readonly string[]) => words.some((w) => norm(s).includes(w));

class Guess {
  readonly out: Suggestion[] = [];
  readonly refs: QboRefs;
  readonly t: Translator<SharedKey>;
  readonly globalTax: boolean;

  constructor(
    readonly l: Lists,
    readonly mappings: Mappings,
    readonly lang: Lang,
  ) {
    this.refs = l.refs;
    this.t = words(lang);
    this.globalTax = l.refs.country !== "US";
  }

  unset(key: string): boolean {
    return mappingValue(this.mappings, key) === undefined;
  }

  /** The mapped value of a key, else what was suggested for it so far. */
  valueOf(key: string): unknown {
    return mappingValue(this.mappings, key) ?? this.out.find((x) => x.mappingKey === key)?.value;
  }

  account(pred: (a: QboAccount) => boolean): QboAccount | undefined {
    return this.refs.accounts.find((a) => a.active && pred(a));
  }

  add(mappingKey: string, value: unknown, label: string, why: string): void {
    this.out.push({ mappingKey, value, label, why });
  }
}

// ---- per POS object ---------------------------------------------------------------------------------

/** The POS objects of a family still unmapped (full objects, for their types and rates). */
function unmappedOf<T extends { id: string }>(g: Guess, family: FamilyName, list: readonly T[]): T[] {
  const e = FAMILY_ENTRIES.find((x) => x.path === family)!;
  const wanted = new Set(objectsToMap(g.l.pos, e).map((o) => o.id));
  return list.filter((x) => wanted.has(x.id) && g.unset(`${family}.${x.id}`));
}

function paymentRole(g: Guess, pt: PosPaymentType): [PaymentTypeMapping, string] | undefined {
  if (pt.typeId === 118 || has(pt.name, "gift", "cadeau")) return [{ role: "gift_card" }, g.t("suggest.giftCardRole")];
  if (pt.typeId === 106 || has(pt.name, "loyalty", "fidelite"))
    return [{ role: "loyalty" }, g.t("suggest.loyaltyRole")];
  if (has(pt.name, "store credit", "credit en magasin", "credit magasin"))
    return [{ role: "store_credit" }, g.t("suggest.storeCreditRole")];
  if (has(pt.name, "on account", "account", "layby", "a compte", "credit client"))
    return [{ role: "on_account" }, g.t("suggest.onAccountRole")];
  const cash =
    g.account((a) => a.accountSubType === "CashOnHand") ??
    g.account((a) => a.accountType === "Bank" && has(a.name, "cash", "caisse"));
  if (has(pt.name, "cash", "comptant", "especes") && cash)
    return [{ role: "deposit", accountId: cash.id }, g.t("suggest.cash", { name: cash.name })];
  const waiting =
    g.account((a) => has(a.name, "card") && has(a.name, "clearing") && a.accountType === "Other Current Asset") ??
    g.account((a) => a.accountSubType === "UndepositedFunds");
  if (waiting) return [{ role: "deposit", accountId: waiting.id }, g.t("suggest.card", { name: waiting.name })];
  return undefined;
}

function suggestPaymentTypes(g: Guess): void {
  for (const pt of unmappedOf(g, "paymentTypes", g.l.pos.paymentTypes)) {
    const role = paymentRole(g, pt);
    if (role) g.add(`paymentTypes.${pt.id}`, role[0], pt.name, role[1]);
  }
}

function suggestCategories(g: Guess, categories: readonly PosCategory[]): void {
  const types = FAMILY_ENTRIES.find((x) => x.path === "categories")?.itemTypes ?? [];
  // the general item "create the standard accounts and items" makes, or the company's own
  const general = g.refs.items.find(
    (i) => i.active && types.includes(i.type) && i.incomeAccountId && /^(sales|ventes)$/i.test(i.name),
  );
  // parent categories too: a product may sit in a category that has sub-categories (the UK store's "Home")
  for (const c of categories.filter((x) => g.unset(`categories.${x.id}`))) {
    const same = g.refs.items.find((i) => i.active && i.incomeAccountId && norm(i.name) === norm(c.name));
    const item = same ?? general;
    if (!item) continue;
    const why = same ? g.t("suggest.sameName", { name: item.name }) : g.t("suggest.generalItem", { name: item.name });
    g.add(`categories.${c.id}`, item.id, c.path || c.name, why);
  }
}

/**
 * What a tax that charges nothing is, by its name: GST-free (AU), zero-rated (NZ, UK "VAT 0%"), exempt,
 * or outside the tax altogether (AU "Out of Scope", UK "No VAT", NZ "No GST", a POS's "No Tax").
 */
const ZERO_KINDS: [string, RegExp][] = [
  ["free", /free/i],
  ["zero", /zero|(^|\D)0(\.0+)?\s*%/i],
  ["exempt", /exempt|exon/i],
  ["none", /no (tax|vat|gst)|out of scope|outside|hors (du )?champ/i],
];
const zeroKind = (name: string) => ZERO_KINDS.find(([, re]) => re.test(name))?.[0];

/** A QBO tax code whose sales rates are exactly the POS tax's rates (by percentage). */
function taxCodeFor(tax: PosTax, codes: QboTaxCode[]): QboTaxCode | undefined {
  const hundred = parseDec(100);
  const want = tax.rates.map((r) => mulDec(parseDec(r.rate), hundred)).filter((d) => d.m !== 0n);
  const fits = codes.filter((c) => {
    if (!c.active) return false;
    const got = c.salesRates.map((r) => parseDec(r.ratePercent)).filter((d) => d.m !== 0n);
    if (got.length !== want.length) return false;
    if (want.length === 0) return c.salesRates.length > 0 || c.purchaseRates.length === 0;
    return want.every((w) => got.some((x) => cmpDec(x, w) === 0));
  });
  if (want.length > 0) return fits[0];
  // a tax that charges nothing: the code of the same kind, else an exempt or zero-rated one
  const kind = zeroKind(tax.name);
  return (
    (kind ? fits.find((c) => zeroKind(c.name) === kind) : undefined) ??
    fits.find((c) => /exempt|zero|exon/i.test(c.name))
  );
}

function suggestTaxes(g: Guess, taxes: readonly PosTax[]): void {
  for (const tax of unmappedOf(g, "taxes", taxes)) {
    const key = `taxes.${tax.id}`;
    if (g.globalTax) {
      const code = taxCodeFor(tax, g.refs.taxCodes);
      if (code) g.add(key, { taxCodeId: code.id }, tax.name, g.t("suggest.sameRates", { name: code.name }));
      continue;
    }
    const taxable = tax.rates.some((r) => parseDec(r.rate).m !== 0n);
    const code = g.refs.taxCodes.find((c) => c.active && c.taxable && c.salesRates.length > 0);
    const value = taxable && code ? { taxable: true, taxCodeId: code.id } : { taxable };
    g.add(key, value, tax.name, g.t(taxable ? "suggest.taxable" : "suggest.notTaxable"));
  }
}

// ---- fixed keys -------------------------------------------------------------------------------------

function suggestAccount(g: Guess, e: AccountEntry & { path: string }): void {
  const hint = e.suggest;
  if (!hint || !g.unset(e.path)) return;
  const a =
    "subType" in hint
      ? g.account((x) => x.accountSubType === hint.subType)
      : g.account((x) => hint.accountTypes.includes(x.accountType) && has(x.name, ...hint.words));
  if (a)
    g.add(
      e.path,
      a.id,
      a.name,
      g.t("suggest.looksLike", { name: a.name, thing: aboutText({ thing: e.path }, g.lang) }),
    );
}

/** A liability service must post to the liability account itself (mapped or suggested; else any of its type). */
function postsTo(g: Guess, e: ItemEntry): (accountId: string) => boolean {
  const target = e.postsTo;
  if (!target) return () => true;
  const types = FIXED_ENTRIES.find((x) => x.path === target && x.kind === "account") as AccountEntry | undefined;
  const chosen = g.valueOf(target);
  return (accountId) =>
    chosen
      ? accountId === chosen
      : g.refs.accounts.some((a) => a.id === accountId && (types?.accountTypes ?? []).includes(a.accountType));
}

function suggestItem(g: Guess, e: ItemEntry & { path: string }): void {
  if (!e.suggest || !g.unset(e.path)) return;
  const words = e.suggest.words;
  const fits = postsTo(g, e);
  const found = g.refs.items.find(
    (i) =>
      i.active && e.itemTypes.includes(i.type) && i.incomeAccountId && has(i.name, ...words) && fits(i.incomeAccountId),
  );
  if (found) g.add(e.path, found.id, found.name, g.t("suggest.matchesName", { name: found.name }));
}

function suggestTaxCode(g: Guess, e: TaxCodeEntry & { path: string }): void {
  if (!g.unset(e.path)) return;
  const active = g.refs.taxCodes.filter((c) => c.active);
  // lines that carry no tax (tips, gift cards, liabilities): exempt, else outside the tax, else zero-rated
  const exempt =
    active.find((c) => /exempt|exon/i.test(c.name)) ??
    active.find((c) => zeroKind(c.name) === "none" && c.salesRates.length === 0 && c.purchaseRates.length === 0) ??
    active.find((c) => /zero|free/i.test(c.name) && c.salesRates.length > 0);
  if (e.suggest === "exempt") {
    if (exempt) g.add(e.path, exempt.id, exempt.name, g.t("suggest.untaxedLines"));
    return;
  }
  const purchase = active
    .filter((c) => c.purchaseRates.length > 0)
    .sort((a, b) => b.purchaseRates.length - a.purchaseRates.length)[0];
  const code = purchase ?? exempt;
  if (code) g.add(e.path, code.id, code.name, g.t(purchase ? "suggest.inputTaxCredits" : "suggest.noPurchaseRates"));
}

function suggestCustomer(g: Guess, e: CustomerEntry & { path: string }): void {
  const hint = e.suggest;
  if (!hint || !g.unset(e.path)) return;
  const found = g.l.customers.find((c) => c.active && has(c.name, ...hint.words));
  if (found) g.add(e.path, found.id, found.name, g.t("suggest.storeCustomer"));
}

export function suggest(l: Lists, mappings: Mappings, lang: Lang = "en"): Suggestion[] {
  const g = new Guess(l, mappings, lang);
  suggestPaymentTypes(g);
  suggestCategories(g, l.pos.categories);
  suggestTaxes(g, l.pos.taxes);
  const fixed = FIXED_ENTRIES.filter((e) => appliesTo(e, g.globalTax));
  // accounts first: a liability service is suggested only if it posts to the (suggested) liability account
  for (const e of fixed) if (e.kind === "account") suggestAccount(g, e);
  for (const e of fixed) if (e.kind === "item") suggestItem(g, e);
  for (const e of fixed) if (e.kind === "taxCode") suggestTaxCode(g, e);
  for (const e of fixed) if (e.kind === "customer") suggestCustomer(g, e);
  return g.out;
}
