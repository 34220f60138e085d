import { cmpDec } from "../../../shared/money";
import { dec, splitInclusive, text, ZERO } from "../pricing";
import { must, newId, nextVersion, PosSandboxError, type Ctx } from "../store";
import { isoClassic } from "../time";
import type { CategoryRec, OutletRec, PaymentKind, PaymentTypeRec, ProductRec, RegisterRec, TaxRec } from "../types";
import { isInclusive } from "./charges";

/**
 * Reference data a merchant adds in the back office after Tillbridge connected: a payment type, a tax,
 * a product category, a product, an outlet, a register. The POS sends no webhook for payment types,
 * taxes, categories, outlets or registers (none of them is a webhook type); a new product sends
 * `product.update`. A connector learns of the others when a sale uses them.
 */

const KINDS: PaymentKind[] = [
  "cash",
  "card",
  "integrated",
  "gift_card",
  "store_credit",
  "on_account",
  "loyalty",
  "other",
];

export interface NewPaymentType {
  name: string;
  kind?: PaymentKind | undefined;
  /** The global type id; default by kind (Loyalty 106, Gift Card 118, others the sandbox's picks). */
  typeId?: number | undefined;
}

const DEFAULT_TYPE_ID: Record<PaymentKind, number> = {
  cash: 1,
  card: 2,
  integrated: 31,
  gift_card: 118,
  store_credit: 12,
  on_account: 11,
  loyalty: 106,
  other: 7,
};

export function addPaymentType(ctx: Ctx, spec: NewPaymentType, at?: Date): PaymentTypeRec {
  const { store } = ctx;
  const kind = spec.kind ?? "other";
  if (!KINDS.includes(kind)) throw new PosSandboxError(400, `unknown payment kind "${kind}"`);
  if (!spec.name.trim()) throw new PosSandboxError(400, "a payment type needs a name");
  const pt: PaymentTypeRec = {
    id: newId(store),
    name: spec.name,
    typeId: spec.typeId ?? DEFAULT_TYPE_ID[kind],
    kind,
    createdAt: isoClassic(at ?? ctx.now()),
    deletedAt: null,
    version: nextVersion(store),
  };
  store.paymentTypes[pt.id] = pt;
  return pt;
}

export interface NewTax {
  name: string;
  /** One rate per component ("0.1" = 10 %). */
  rates: { name: string; rate: string | number }[];
}

export function addTax(ctx: Ctx, spec: NewTax): TaxRec {
  const { store } = ctx;
  if (spec.rates.length === 0) throw new PosSandboxError(400, "a tax needs at least one rate");
  for (const r of spec.rates)
    if (cmpDec(dec(r.rate), ZERO) < 0 || cmpDec(dec(r.rate), dec(1)) >= 0)
      throw new PosSandboxError(400, `rate ${r.name} must be between 0 and 1`);
  const tax: TaxRec = {
    id: newId(store),
    name: spec.name,
    isDefault: false,
    rates: spec.rates.map((r) => ({ id: newId(store), name: r.name, rate: text(dec(r.rate)) })),
    deletedAt: null,
    version: nextVersion(store),
  };
  store.taxes[tax.id] = tax;
  return tax;
}

export function addCategory(ctx: Ctx, spec: { name: string; parentId?: string | null | undefined }): CategoryRec {
  const { store } = ctx;
  if (spec.parentId) must(store.categories[spec.parentId], `category ${spec.parentId}`);
  const c: CategoryRec = {
    id: newId(store),
    name: spec.name,
    parentId: spec.parentId ?? null,
    version: nextVersion(store),
  };
  store.categories[c.id] = c;
  return c;
}

export interface NewProduct {
  name: string;
  sku?: string | undefined;
  /** The price as the store sets it: ex tax in a tax-exclusive store, incl. tax in a tax-inclusive one. */
  price: string | number;
  supplyPrice?: string | number | undefined;
  categoryId?: string | null | undefined;
  /** Default: the first outlet's default tax. */
  taxId?: string | undefined;
  supplierId?: string | null | undefined;
}

export function addProduct(ctx: Ctx, spec: NewProduct, at?: Date): ProductRec {
  const { store } = ctx;
  if (spec.categoryId) must(store.categories[spec.categoryId], `category ${spec.categoryId}`);
  if (spec.supplierId) must(store.suppliers[spec.supplierId], `supplier ${spec.supplierId}`);
  const taxId = spec.taxId ?? Object.values(store.outlets)[0]!.defaultTaxId;
  const rates = must(store.taxes[taxId], `tax ${taxId}`).rates;
  const price = dec(spec.price);
  if (cmpDec(price, ZERO) < 0) throw new PosSandboxError(400, "a price is not negative");
  const when = isoClassic(at ?? ctx.now());
  const id = newId(store);
  const sku = spec.sku ?? `NEW-${id.slice(0, 6).toUpperCase()}`;
  const product: ProductRec = {
    id,
    kind: "product",
    name: spec.name,
    handle: sku.toLowerCase(),
    sku,
    price: isInclusive(store) ? text(splitInclusive(price, rates).ex) : text(price),
    ...(isInclusive(store) ? { priceInclTax: text(price) } : {}),
    supplyPrice: text(dec(spec.supplyPrice ?? 0)),
    categoryId: spec.categoryId ?? null,
    taxId,
    supplierId: spec.supplierId ?? null,
    createdAt: when,
    updatedAt: when,
    version: nextVersion(store),
  };
  store.products[id] = product;
  ctx.hooks.productChanged?.(store, id);
  return product;
}

export interface NewOutlet {
  name: string;
  city?: string | undefined;
  /** Registers to open in it (at least one). */
  registers?: string[] | undefined;
}

export function addOutlet(ctx: Ctx, spec: NewOutlet): { outlet: OutletRec; registers: RegisterRec[] } {
  const { store } = ctx;
  const first = Object.values(store.outlets)[0]!;
  const outlet: OutletRec = {
    id: newId(store),
    name: spec.name,
    timeZone: first.timeZone,
    defaultTaxId: first.defaultTaxId,
    address: { ...first.address, line1: "1 New Street", city: spec.city ?? spec.name },
    email: `${spec.name.toLowerCase().replace(/[^a-z]/g, "")}@${store.prefix}.example`,
    phone: first.phone,
    orderPrefix: `${spec.name
      .replace(/[^A-Za-z]/g, "")
      .slice(0, 3)
      .toUpperCase()}-`,
    ...(first.displayPrices ? { displayPrices: first.displayPrices } : {}),
    version: nextVersion(store),
  };
  store.outlets[outlet.id] = outlet;
  const registers = (spec.registers?.length ? spec.registers : [`${spec.name} Register`]).map((name) =>
    addRegister(ctx, { outletId: outlet.id, name }),
  );
  return { outlet, registers };
}

export function addRegister(ctx: Ctx, spec: { outletId: string; name: string; invoicePrefix?: string | undefined }) {
  const { store } = ctx;
  const outlet = must(store.outlets[spec.outletId], `outlet ${spec.outletId}`);
  const cash = Object.values(store.paymentTypes).find((p) => p.kind === "cash");
  const id = newId(store);
  const register: RegisterRec = {
    id,
    name: spec.name,
    outletId: outlet.id,
    invoicePrefix:
      spec.invoicePrefix ?? `${outlet.orderPrefix.replace("-", "")}${Object.keys(store.registers).length + 1}-`,
    invoiceSuffix: "",
    invoiceSequence: 1000,
    isOpen: false,
    openTime: null,
    closeTime: null,
    openSequenceId: null,
    sequenceCount: 0,
    cashManagedPaymentTypeId: cash?.id ?? "",
    version: nextVersion(store),
  };
  store.registers[id] = register;
  return register;
}
