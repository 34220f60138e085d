import type { Customer, PosPaymentType, PosTax } from "../../../shared/domain/pos";
import { saleContext, type ProductInfo, type SaleContext } from "../../../worker/pos/mappers/context";

/**
 * Canned payloads shaped like the POS's documented examples (API 2026-07, and the same sale in the
 * 2.0 spelling), for a Québec store: GST 5 % + QST 9.975 % as one tax group, cash rounded to 0.05.
 */

export const IDS = {
  outlet: "0adfd74a-153e-11e9-fa42-67b5781ba1fb",
  register: "0adfd74a-153e-11e9-fa42-67b578223a8e",
  sequence: "06bf537b-c783-11e7-ff13-3157eb615f96",
  otherSequence: "06bf537b-c783-11e7-ff13-3157eb61aaaa",
  gstQst: "b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4",
  gst: "b1dfed8b-f019-11e3-a0f5-b8ca3a64f8f4",
  qst: "b1dfed8b-f019-11e3-a0f5-b8ca3a64f8f5",
  gstOnly: "b1d192bc-f019-11e3-a0f5-b8ca3a640001",
  noTax: "b1cecdf6-f019-11e3-a0f5-b8ca3a64f8f4",
  noTaxRate: "b1cfbc85-f019-11e3-a0f5-b8ca3a64f8f4",
  shirt: "b8ca3a65-0183-11e4-fbb5-9776c5cd0240",
  mug: "b8ca3a65-0183-11e4-fbb5-9776c5cd0241",
  oldScarf: "b8ca3a65-0183-11e4-fbb5-9776c5cd0242",
  discount: "dc85058a-a683-11e5-ef46-08f9a92d0001",
  giftCard: "dc85058a-a683-11e5-ef46-08f9a92d0002",
  apparel: "cat-apparel-0001",
  kitchen: "cat-kitchen-0002",
  cash: "be21ec2b-315f-1b07-8567-936cfe85ac95",
  card: "2ac65e3b-b6c5-6547-9543-80ba85264a8e",
  storeCredit: "2ac65e3b-b6c5-6547-9543-80ba8526aaaa",
  onAccount: "2ac65e3b-b6c5-6547-9543-80ba8526bbbb",
  afterpay: "2ac65e3b-b6c5-6547-9543-80ba8526cccc",
  customer: "06e35f89-3783-11e6-ec7e-10e1180eba6d",
};

export const products: ProductInfo[] = [
  { id: IDS.shirt, name: "Chemise à carreaux — Érable 🍁", sku: "SH-01", categoryId: IDS.apparel, deleted: false },
  { id: IDS.mug, name: "Mug", sku: "MG-01", categoryId: IDS.kitchen, deleted: false },
  { id: IDS.oldScarf, name: "Scarf (discontinued)", sku: "SC-09", categoryId: IDS.apparel, deleted: true },
  { id: IDS.giftCard, name: "Gift Card", sku: "gift-card", categoryId: null, deleted: false },
];

export const paymentTypes: PosPaymentType[] = [
  { id: IDS.cash, name: "Cash", typeId: 1, deleted: false },
  { id: IDS.card, name: "Credit Card", typeId: 3, deleted: false },
  { id: IDS.storeCredit, name: "Store Credit", typeId: 11, deleted: false },
  { id: IDS.onAccount, name: "On Account", typeId: 8, deleted: false },
  { id: IDS.afterpay, name: "Afterpay", typeId: 30, deleted: true },
];

export const taxes: PosTax[] = [
  {
    id: IDS.gstQst,
    name: "GST + QST",
    rates: [
      { id: IDS.gst, name: "GST", rate: "0.05" },
      { id: IDS.qst, name: "QST", rate: "0.09975" },
    ],
    deleted: false,
  },
  { id: IDS.gstOnly, name: "GST", rates: [{ id: IDS.gst, name: "GST", rate: "0.05" }], deleted: false },
  { id: IDS.noTax, name: "No Tax", rates: [{ id: IDS.noTaxRate, name: "No Tax", rate: "0" }], deleted: false },
];

export const customers: Customer[] = [
  {
    id: IDS.customer,
    firstName: "Tony",
    lastName: "Stark",
    companyName: "Stark Industries Inc",
    email: "tony@stark.com",
    customerCode: "Tony-N4ZJ",
  },
];

export function ctx(over: Partial<SaleContext> = {}): SaleContext {
  return {
    ...saleContext({
      discountProductId: IDS.discount,
      giftCardProductIds: [IDS.giftCard],
      products,
      paymentTypes,
      customers,
      taxes,
    }),
    ...over,
  };
}

const tc = (gst: string, qst: string) => [
  { rate_id: IDS.gst, total_tax: gst },
  { rate_id: IDS.qst, total_tax: qst },
];

/**
 * A regular sale in the 2026-07 shape: two shirts at 20.00 with 10 % off, a mug at 9.09091, a 5.00
 * sale-level discount, a 25.00 gift card; paid 71.10 cash (71.09 rounded to the nickel).
 */
export function sale2026(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1",
    _metadata: { version: 13092885034, complete_open_sequence_id: IDS.sequence },
    source: { outlet_id: IDS.outlet, register_id: IDS.register, author: { id: "u1" } },
    customer_id: IDS.customer,
    invoice_number: "MR-1708-NZ",
    receipt_number: "1708",
    date: "2026-11-03T22:15:00Z",
    state: "closed",
    attributes: [],
    note: "",
    totals: { price: "65.09", tax: "6.00", price_incl_tax: "71.09", loyalty: "0", surcharge: "0" },
    taxes: [
      { id: IDS.gst, tax: "2.00" },
      { id: IDS.qst, tax: "4.00" },
    ],
    adjustments: [{ adjustment_type: "ROUNDING", name: "Rounding", total: "0.01", tax_components: [] }],
    line_items: [
      {
        id: "li-1",
        product: { id: IDS.shirt },
        quantity: 2,
        pricing: {
          price: "18.00000",
          discount: "2.00000",
          total: "36.00",
          discount_total: "4.00",
          cost: "8",
          cost_total: "16",
        },
        tax: { id: IDS.gstQst, amount: "2.6955", total: "5.391" },
        _metadata: { sequence: 0, tax_components: tc("1.80", "3.591") },
        return: { is_return: false },
        status: "CONFIRMED",
      },
      {
        id: "li-2",
        product: { id: IDS.mug },
        quantity: "1",
        pricing: { price: "9.09091", discount: "0", total: "9.09" },
        tax: { id: IDS.gstQst, total: "1.3613637725" },
        _metadata: { tax_components: tc("0.4545455", "0.9068182725") },
      },
      {
        id: "li-3",
        product: { id: IDS.discount },
        quantity: 1,
        pricing: { price: "-5.00000", discount: "0", total: "-5.00" },
        tax: { id: IDS.gstQst, total: "-0.74875" },
        _metadata: { tax_components: tc("-0.25", "-0.49875") },
      },
      {
        id: "li-4",
        product: { id: IDS.giftCard },
        quantity: 1,
        gift_card_number: "6001000100",
        pricing: { price: "25.00000", discount: "0", total: "25.00" },
        tax: { id: IDS.noTax, total: "0" },
        _metadata: { tax_components: [{ rate_id: IDS.noTaxRate, total_tax: "0" }] },
      },
    ],
    payments: [
      {
        id: "pay-1",
        amount: "71.10",
        date: "2026-11-03T22:15:10Z",
        type: { config_id: IDS.cash, id: "1", name: "Cash" },
        source: { register_id: IDS.register, outlet_id: IDS.outlet },
        _metadata: { register_open_sequence_id: IDS.sequence },
      },
    ],
    ...over,
  };
}

/** The same sale as a 2.0-era payload: top-level ids, legacy status, flat line fields, numbers. */
export function sale20(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "0a4d8d4b-9b5a-11ee-f6f1-0001a1a1a1a1",
    version: 13092885034,
    outlet_id: IDS.outlet,
    register_id: IDS.register,
    customer_id: IDS.customer,
    invoice_number: "MR-1708-NZ",
    sale_date: "2026-11-03 22:15:00",
    status: "CLOSED",
    total_price: 65.09,
    total_tax: 6,
    taxes: [
      { id: IDS.gst, name: "GST", rate: 0.05, amount: 2 },
      { id: IDS.qst, name: "QST", rate: 0.09975, amount: 4 },
    ],
    adjustments: [{ type: "ROUNDING", amount: 0.01 }],
    line_items: [
      {
        id: "li-1",
        product_id: IDS.shirt,
        quantity: 2,
        price: 18,
        discount: 2,
        price_total: 36,
        total_cost: 16,
        tax_total: 5.391,
        tax_id: IDS.gstQst,
        tax_components: tc("1.8", "3.591"),
        is_return: false,
      },
      {
        id: "li-2",
        product_id: IDS.mug,
        quantity: 1,
        price: 9.09091,
        discount: 0,
        price_total: 9.09,
        tax_total: 1.3613637725,
        tax_id: IDS.gstQst,
        tax_components: tc("0.4545455", "0.9068182725"),
      },
      {
        id: "li-3",
        product_id: IDS.discount,
        quantity: 1,
        price: -5,
        discount: 0,
        price_total: -5,
        tax_total: -0.74875,
        tax_id: IDS.gstQst,
        tax_components: tc("-0.25", "-0.49875"),
      },
      {
        id: "li-4",
        product_id: IDS.giftCard,
        quantity: 1,
        price: 25,
        price_total: 25,
        tax_total: 0,
        tax_id: IDS.noTax,
        tax_components: [{ rate_id: IDS.noTaxRate, total_tax: 0 }],
        gift_card_number: "6001000100",
      },
    ],
    payments: [
      {
        id: "pay-1",
        register_id: IDS.register,
        outlet_id: IDS.outlet,
        retailer_payment_type_id: IDS.cash,
        payment_type_id: "1",
        name: "Cash",
        amount: 71.1,
        payment_date: "2026-11-03T22:15:10+00:00",
        register_open_sequence_id: IDS.sequence,
      },
    ],
    ...over,
  };
}
