import { addDec, formatDec, formatMinor, mulDec, roundDec } from "../../../shared/money";
import { giftCardBalance, storeCreditBalance } from "../ops/liabilities";
import { loyaltyBalance } from "../ops/loyalty";
import { saleBalance } from "../ops/sales";
import { dec, ZERO } from "../pricing";
import type {
  CategoryRec,
  CustomerRec,
  GiftCardRec,
  OutletRec,
  PaymentTypeRec,
  ProductRec,
  RegisterRec,
  StoreCreditRec,
  StoreState,
  SupplierRec,
  TaxRec,
  WebhookRec,
} from "../types";
import { money, num } from "./serialize-sale";

/** Reference data, contacts and liabilities as their 2026-07 JSON shapes (see the spec's schemas). */

export function retailerJson(store: StoreState) {
  const r = store.retailer;
  return {
    account_status: "active",
    account_type: "paid",
    activated_at: r.createdAt,
    country: r.country,
    created_at: r.createdAt,
    culture: r.culture,
    currency: { code: r.currency, symbol: r.currencySymbol },
    discount_product_id: r.discountProductId,
    domain_prefix: r.domainPrefix,
    embedded_barcode_option: "none",
    enable_line_item_consolidation: false,
    gift_cards: { enabled: true, never_enabled: false },
    id: r.id,
    loyalty: {
      claim_url: r.loyaltyRatio ? `https://${r.domainPrefix}.retail.lightspeed.app/loyalty` : "",
      enabled: r.loyaltyRatio !== undefined,
      ratio: r.loyaltyRatio ? num(r.loyaltyRatio) : 0,
      send_welcome_email: false,
    },
    name: r.name,
    no_tax_group_id: r.noTaxGroupId,
    on_account: { default_limit: null },
    sku_sequence: { enabled: false, value: 0 },
    sso_enabled: false,
    store_credit: true,
    store_url: `https://${r.domainPrefix}.retail.lightspeed.app`,
    tax_exclusive: r.taxExclusive,
    timezone: r.timezone,
    version: String(r.version),
  };
}

export function outletJson(store: StoreState, o: OutletRec) {
  return {
    attributes: [
      { key: "order_reference_prefix", value: o.orderPrefix },
      { key: "order_reference", value: String(store.counters.orderNumber) },
    ],
    currency: store.retailer.currency,
    currency_symbol: store.retailer.currencySymbol,
    default_tax_id: o.defaultTaxId,
    deleted_at: null,
    display_prices: o.displayPrices ?? "exclusive",
    email: o.email,
    id: o.id,
    latitude: null,
    longitude: null,
    name: o.name,
    phone: o.phone,
    physical_address_1: o.address.line1,
    physical_address_2: "",
    physical_city: o.address.city,
    physical_country_id: o.address.country,
    physical_postcode: o.address.postcode,
    physical_state: o.address.state,
    physical_suburb: "",
    time_zone: o.timeZone,
    version: o.version,
  };
}

export function registerJson(r: RegisterRec) {
  return {
    ask_for_note_on_save: 1,
    ask_for_user_on_sale: false,
    button_layout_id: null,
    cash_managed_payment_type_id: r.cashManagedPaymentTypeId,
    deleted_at: null,
    email_receipt: false,
    id: r.id,
    invoice_prefix: r.invoicePrefix,
    invoice_sequence: r.invoiceSequence,
    invoice_suffix: r.invoiceSuffix,
    is_open: r.isOpen,
    name: r.name,
    outlet_id: r.outletId,
    print_note_on_receipt: false,
    print_receipt: true,
    receipt_template_id: null,
    register_close_time: r.isOpen ? null : r.closeTime,
    register_open_sequence_id: r.openSequenceId,
    register_open_time: r.openTime,
    show_discounts_on_receipts: true,
    version: r.version,
  };
}

export function paymentTypeJson(p: PaymentTypeRec) {
  return {
    config:
      p.kind === "integrated"
        ? { url: "/pay/lightspeed-payments" }
        : p.kind === "loyalty"
          ? { url: `/pay/${p.id}` }
          : null,
    created_at: p.createdAt,
    deleted_at: p.deletedAt,
    disabled: false,
    gateway: p.kind === "integrated",
    id: p.id,
    internal: false,
    name: p.name,
    name_changed_by_user: false,
    outlet_ids: null,
    type_id: p.typeId,
    version: p.version,
  };
}

function categoryPath(store: StoreState, c: CategoryRec): CategoryRec[] {
  const path: CategoryRec[] = [];
  for (let at: CategoryRec | undefined = c; at; at = at.parentId ? store.categories[at.parentId] : undefined)
    path.unshift(at);
  return path;
}

export function categoryJson(store: StoreState, c: CategoryRec) {
  const path = categoryPath(store, c);
  return {
    category_path: path.map((p) => ({ id: p.id, name: p.name })),
    id: c.id,
    leaf_category: !Object.values(store.categories).some((x) => x.parentId === c.id),
    name: c.name,
    parent_category_id: c.parentId,
    root_category_id: path[0]!.id,
  };
}

/** Categories in the order the spec promises: by full path, alphabetically. */
export function sortedCategories(store: StoreState): CategoryRec[] {
  const key = (c: CategoryRec) =>
    categoryPath(store, c)
      .map((p) => p.name)
      .join("\u0000");
  return Object.values(store.categories).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function productJson(store: StoreState, p: ProductRec) {
  const rateSum = (store.taxes[p.taxId]?.rates ?? []).reduce((s, r) => addDec(s, dec(r.rate)), ZERO);
  const incl = p.priceInclTax
    ? dec(p.priceInclTax)
    : roundDec(mulDec(dec(p.price), addDec(dec(1), rateSum)), 5, "half-up");
  const category = p.categoryId ? store.categories[p.categoryId] : undefined;
  const supplier = p.supplierId ? store.suppliers[p.supplierId] : undefined;
  return {
    active: true,
    attributes: [],
    brand: null,
    brand_id: null,
    categories: [],
    created_at: p.createdAt,
    customizations: [],
    deleted_at: null,
    description: null,
    has_inventory: p.kind === "product" && p.hasInventory !== false,
    has_variants: false,
    handle: p.handle,
    id: p.id,
    images: [],
    is_composite: false,
    name: p.name,
    packaging: { breaks_into: [], made_from: [] },
    price_excluding_tax: num(p.price),
    price_including_tax: num(formatDec(incl)),
    product_category: category ? categoryJson(store, category) : null,
    product_codes: [],
    product_suppliers: supplier
      ? [
          {
            code: null,
            id: `${p.id.slice(0, 24)}${supplier.id.slice(24)}`,
            price: num(p.supplyPrice),
            product_id: p.id,
            supplier_id: supplier.id,
            supplier_name: supplier.name,
          },
        ]
      : [],
    sku: p.sku,
    skuImages: [],
    source: "USER",
    supplier_id: p.supplierId,
    supply_price: num(p.supplyPrice),
    tag_ids: [],
    updated_at: p.updatedAt,
    variant_options: [],
    variant_parent_id: null,
    version: p.version,
  };
}

export function taxJson(t: TaxRec) {
  return {
    deleted_at: t.deletedAt,
    display_name: t.name,
    id: t.id,
    is_default: t.isDefault,
    name: t.name,
    rates: t.rates.map((r) => ({ display_name: r.name, id: r.id, name: r.name, rate: num(r.rate) })),
    version: t.version,
  };
}

export function customerJson(store: StoreState, c: CustomerRec) {
  const owing = Object.values(store.sales)
    .filter((s) => s.customerId === c.id && s.state === "pending" && s.attributes.length > 0)
    .reduce((sum, s) => sum + saleBalance(s, store), 0);
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
  return {
    // The POS shows what a customer owes on account as a negative balance.
    balance: money(-owing),
    company_name: c.companyName,
    created_at: c.createdAt,
    custom_field_1: null,
    custom_field_2: null,
    custom_field_3: null,
    custom_field_4: null,
    customer_code: c.customerCode,
    customer_group_id: c.customerGroupId,
    date_of_birth: null,
    deleted_at: null,
    do_not_email: false,
    email: c.email,
    enable_loyalty: c.loyalty === true,
    enable_promotional_sms: false,
    fax: null,
    first_name: c.firstName,
    gender: null,
    id: c.id,
    last_name: c.lastName,
    loyalty_balance: c.loyalty ? money(loyaltyBalance(store, c.id)) : 0,
    mobile: null,
    name,
    note: null,
    on_account_limit: c.onAccountLimit === null ? null : money(c.onAccountLimit),
    phone: c.phone,
    physical_city: null,
    physical_country_id: store.retailer.country,
    tax_id: null,
    updated_at: c.updatedAt,
    version: c.version,
    website: null,
    year_to_date: 0,
  };
}

export function supplierJson(s: SupplierRec) {
  return {
    contact: {
      company_name: s.companyName,
      email: s.email,
      first_name: s.firstName,
      last_name: s.lastName,
      phone: s.phone,
    },
    default_markup: 0,
    deleted_at: null,
    description: s.description,
    id: s.id,
    name: s.name,
    source: "USER",
    version: s.version,
  };
}

export function giftCardJson(g: GiftCardRec) {
  const sold = g.transactions
    .filter((t) => t.type === "ACTIVATION" || t.type === "RELOADING" || t.type === "IMPORTING")
    .reduce((s, t) => s + t.amount, 0);
  const redeemed = -g.transactions.filter((t) => t.type === "REDEEMING").reduce((s, t) => s + t.amount, 0);
  return {
    balance: formatMinor(giftCardBalance(g)),
    created_at: g.createdAt,
    expires_at: g.expiresAt,
    gift_card_transactions: g.transactions.map((t) => ({
      amount: formatMinor(t.amount),
      client_id: t.clientId,
      created_at: t.createdAt,
      id: t.id,
      source: t.source,
      source_id: t.sourceId,
      type: t.type,
      user_id: t.userId,
    })),
    id: g.id,
    number: g.number,
    sale_id: g.saleId,
    sale_source: "x-series",
    status: g.status,
    total_redeemed: formatMinor(redeemed),
    total_sold: formatMinor(sold),
  };
}

export function storeCreditJson(store: StoreState, rec: StoreCreditRec, withCustomer = false) {
  const issued = rec.transactions.filter((t) => t.type === "ISSUE").reduce((s, t) => s + t.amount, 0);
  const redeemed = -rec.transactions.filter((t) => t.type === "REDEMPTION").reduce((s, t) => s + t.amount, 0);
  const customer = store.customers[rec.customerId];
  return {
    balance: money(storeCreditBalance(rec)),
    created_at: rec.createdAt,
    customer_id: rec.customerId,
    id: rec.id,
    store_credit_transactions: rec.transactions.map((t) => ({
      amount: money(t.amount),
      client_id: t.clientId,
      created_at: t.createdAt,
      id: t.id,
      notes: t.notes,
      sale_id: t.saleId,
      type: t.type,
      user_id: t.userId,
    })),
    total_credit_issued: money(issued),
    total_credit_redeemed: money(redeemed),
    ...(withCustomer && customer ? { customer: customerJson(store, customer) } : {}),
  };
}

export function webhookJson(store: StoreState, w: WebhookRec) {
  return { active: w.active, id: w.id, retailer_id: store.retailer.id, type: w.type, url: w.url };
}
