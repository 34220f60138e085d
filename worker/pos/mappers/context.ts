import type { Customer, PosPaymentType, PosTax } from "../../../shared/domain/pos";

/** What a product is to a sale line: its name, SKU and (leaf) category. */
export interface ProductInfo {
  id: string;
  name: string;
  sku: string | null;
  categoryId: string | null;
  deleted: boolean;
}

/**
 * The store's reference data a sale is read against. Lookups answer undefined for an id the store
 * does not know, and the mapper turns that into a typed error naming the field.
 */
export interface SaleContext {
  /** retailer.discount_product_id: lines of this product are sale-level discounts */
  discountProductId: string | null;
  /**
   * Prices include tax: the POS records sale amounts to five decimals, and the sale carries them
   * (`…Exact`) for the closure to add up and round once (SPEC §4.1). Else its amounts are cents.
   */
  taxInclusive?: boolean;
  /** The "Gift Card" product(s): a line of one sells or reloads a card */
  giftCardProductIds: ReadonlySet<string>;
  product(id: string): ProductInfo | undefined;
  paymentType(id: string): PosPaymentType | undefined;
  customer(id: string): Customer | undefined;
  /** The rate ids of a tax (group) */
  tax(id: string): PosTax | undefined;
  /** A tax (group) that has this rate, single-rate taxes first */
  taxOfRate?(rateId: string): string | undefined;
}

export interface ReferenceData {
  discountProductId: string | null;
  taxInclusive?: boolean;
  giftCardProductIds: Iterable<string>;
  products: Iterable<ProductInfo>;
  paymentTypes: Iterable<PosPaymentType>;
  customers: Iterable<Customer>;
  taxes: Iterable<PosTax>;
}

export function saleContext(ref: ReferenceData): SaleContext {
  const byId = <T extends { id: string }>(items: Iterable<T>) => new Map([...items].map((x) => [x.id, x] as const));
  const products = byId(ref.products);
  const paymentTypes = byId(ref.paymentTypes);
  const customers = byId(ref.customers);
  const taxes = byId(ref.taxes);
  return {
    discountProductId: ref.discountProductId,
    taxInclusive: ref.taxInclusive === true,
    giftCardProductIds: new Set(ref.giftCardProductIds),
    product: (id) => products.get(id),
    paymentType: (id) => paymentTypes.get(id),
    customer: (id) => customers.get(id),
    tax: (id) => taxes.get(id),
    taxOfRate: (rateId) => {
      const having = [...taxes.values()].filter((t) => t.rates.some((r) => r.id === rateId));
      return (having.find((t) => t.rates.length === 1) ?? having[0])?.id;
    },
  };
}
