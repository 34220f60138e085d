import type { Sale, SaleLine, SalePayment, TaxAmount } from "../../../shared/domain/pos";
import { addDec, type Dec, formatDec, isZeroDec, mulDec } from "../../../shared/money";
import { payloadError, readObject } from "../read";
import { RawSale, type RawSaleLine } from "../schemas";
import type { SaleContext } from "./context";
import { allocateExact, cents, near, slack, sumDec, ZERO } from "./exact";
import { classifySale } from "./sale-state";

/**
 * A POS sale → the domain Sale (shared/domain/pos.ts), in cents reconciled to the POS's own
 * totals: the sale's total is its tax-inclusive total rounded to the cent, its tax is its tax total
 * rounded to the cent, and the lines' nets and per-rate taxes are split from those with
 * `allocate`, so they sum to them exactly whatever precision the POS keeps per line (5 decimals on
 * tax-inclusive stores). Payloads that do not add up fail with pos_payload_invalid.
 */
export function toSale(raw: unknown, ctx: SaleContext): Sale {
  const s = readObject(RawSale, raw, "sale");
  const fail = (field: string, what: string) => payloadError("sale", s.id, field, what);

  const version = s._metadata?.version ?? s.version ?? null;
  if (version === null) throw fail("version", "missing");
  const outletId = s.outlet_id ?? s.source?.outlet_id ?? null;
  if (outletId === null) throw fail("outlet_id", "missing");
  const saleDate = s.date ?? s.sale_date ?? null;
  if (saleDate === null) throw fail("sale_date", "missing");
  const classified = classifySale(s.state, s.attributes, s.status);
  if ("error" in classified) throw fail(classified.error.field, classified.error.what);

  const lines = (s.line_items ?? []).map((l, i) => readLine(l, i, ctx, fail)).filter((l) => l !== null);

  // ---- the sale's own totals
  const exTaxExact = s.totals?.price ?? s.total_price ?? null;
  if (exTaxExact === null) throw fail("total_price", "missing");
  const taxExact = s.totals?.tax ?? s.total_tax ?? null;
  if (taxExact === null) throw fail("total_tax", "missing");
  const inclExact = addDec(exTaxExact, taxExact);
  if (s.totals?.price_incl_tax != null && !near(s.totals.price_incl_tax, inclExact, slack(0))) {
    throw fail(
      "totals.price_incl_tax",
      `${formatDec(s.totals.price_incl_tax)} is not price ${formatDec(exTaxExact)} + tax ${formatDec(taxExact)}`,
    );
  }
  const totalMinor = cents(inclExact);
  const totalTaxMinor = cents(taxExact);
  const totalExTaxMinor = totalMinor - totalTaxMinor;

  const lineNetSum = sumDec(lines.map((l) => l.net));
  if (!near(lineNetSum, exTaxExact, slack(lines.length))) {
    throw fail(
      "total_price",
      `${formatDec(exTaxExact)} is not the sum of the lines' prices (${formatDec(lineNetSum)})`,
    );
  }

  // ---- tax per rate: the lines' exact amounts, checked against the sale's list and total
  const rateExact = new Map<string, Dec>();
  for (const l of lines)
    for (const [rate, amount] of l.taxes) rateExact.set(rate, addDec(rateExact.get(rate) ?? ZERO, amount));
  const listed = new Map<string, Dec>();
  for (const [i, t] of (s.taxes ?? []).entries()) {
    const amount = t.amount ?? t.tax ?? null;
    if (amount === null) throw fail(`taxes[${i}].amount`, "missing");
    const fromLines = rateExact.get(t.id);
    // A sale tax entry keyed by something other than a line rate (e.g. a tax-group id) is informational.
    if (fromLines === undefined) continue;
    if (!near(fromLines, amount, slack(lines.length))) {
      throw fail(
        `taxes[${i}].amount`,
        `${formatDec(amount)} for rate ${t.id} is not the sum of the lines' tax (${formatDec(fromLines)})`,
      );
    }
    listed.set(t.id, addDec(listed.get(t.id) ?? ZERO, amount));
  }
  const rateIds = [...rateExact.keys()];
  const rateSum = sumDec(rateExact.values());
  if (!near(rateSum, taxExact, slack(lines.length))) {
    throw fail("total_tax", `${formatDec(taxExact)} is not the sum of the lines' tax (${formatDec(rateSum)})`);
  }
  if (totalTaxMinor !== 0 && rateIds.length === 0)
    throw fail("total_tax", "the sale has tax but no line carries a tax rate");
  const rateMinor = taxPerRate(totalTaxMinor, rateIds, rateExact, listed);

  // ---- lines: net split from the sale's total. The list price is the line's own undiscounted
  // total rounded to the cent (as the POS shows it); a line without a discount lists at its net, so
  // a cent moved by the split never shows up as a phantom discount.
  const netMinor = lines.length
    ? allocateExact(
        totalExTaxMinor,
        lines.map((l) => l.net),
      )
    : [];
  if (!lines.length && totalExTaxMinor !== 0) throw fail("line_items", "missing: the sale has a total but no lines");
  const lineTax = lines.map(() => [] as TaxAmount[]);
  for (const rate of rateIds) {
    const exact = lines.map((l) => l.taxes.get(rate) ?? ZERO);
    allocateExact(rateMinor.get(rate)!, exact).forEach((taxMinor, i) => {
      if (lines[i]!.taxes.has(rate)) lineTax[i]!.push({ rateId: rate, taxMinor });
    });
  }
  const outLines: SaleLine[] = lines.map((l, i) => {
    const net = netMinor[i]!;
    const list = l.kind === "sale_discount" ? 0 : isZeroDec(l.unitDiscount) ? net : cents(l.list);
    return {
      id: l.id,
      kind: l.kind,
      productId: l.productId,
      productName: l.productName,
      sku: l.sku,
      categoryId: l.categoryId,
      quantity: formatDec(l.quantity),
      unitListPrice: formatDec(l.unitList),
      listMinor: list,
      discountMinor: list - net,
      netMinor: net,
      taxId: l.taxId,
      taxes: lineTax[i]!,
      isReturn: l.isReturn,
      giftCardNumber: l.giftCardNumber,
    };
  });

  const roundingMinor = cents(
    sumDec(
      (s.adjustments ?? [])
        .filter((a) => (a.adjustment_type ?? a.type ?? "").toUpperCase() === "ROUNDING")
        .map((a) => a.total ?? a.value ?? a.amount ?? ZERO),
    ),
  );

  const payments: SalePayment[] = [];
  for (const [i, p] of (s.payments ?? []).entries()) {
    if (p.deleted_at) continue;
    const typeId = p.retailer_payment_type_id ?? p.type?.config_id ?? null;
    if (typeId === null) throw fail(`payments[${i}].retailer_payment_type_id`, "missing");
    const type = ctx.paymentType(typeId);
    if (!type) throw fail(`payments[${i}].retailer_payment_type_id`, `unknown payment type ${typeId}`);
    const paidAt = p.date ?? p.payment_date ?? null;
    if (paidAt === null) throw fail(`payments[${i}].payment_date`, "missing");
    payments.push({
      id: p.id,
      paymentTypeId: typeId,
      paymentTypeName: type.name,
      amountMinor: cents(p.amount),
      paidAt,
      registerId: p.register_id ?? p.source?.register_id ?? null,
      sequenceId: p._metadata?.register_open_sequence_id ?? p.register_open_sequence_id ?? null,
    });
  }

  let customer: Sale["customer"] = null;
  if (s.customer_id) {
    customer = ctx.customer(s.customer_id) ?? null;
    if (!customer) throw fail("customer_id", `unknown customer ${s.customer_id}`);
  }

  return {
    id: s.id,
    version,
    outletId,
    registerId: s.register_id ?? s.source?.register_id ?? null,
    invoiceNumber: s.invoice_number ?? null,
    saleDate,
    state: s.deleted_at ? "voided" : classified.state,
    kind: classified.kind,
    customer,
    completedSequenceId: s._metadata?.complete_open_sequence_id ?? null,
    returnForSaleId: s.return?.original_sale_id ?? s.return_for ?? null,
    lines: outLines,
    totalExTaxMinor,
    totalTaxMinor,
    totalMinor,
    taxes: rateIds.map((rateId) => ({ rateId, taxMinor: rateMinor.get(rateId)! })),
    roundingMinor,
    payments,
    note: s.note || null,
  };
}

/**
 * The sale's tax per rate in cents, summing to its tax total: the POS's own per-rate amounts when
 * it lists every rate and they add up, else the total split by the lines' exact amounts.
 */
function taxPerRate(
  total: number,
  rateIds: string[],
  exact: Map<string, Dec>,
  listed: Map<string, Dec>,
): Map<string, number> {
  if (rateIds.length && rateIds.every((r) => listed.has(r))) {
    const own = rateIds.map((r) => cents(listed.get(r)!));
    if (own.reduce((a, b) => a + b, 0) === total) return new Map(rateIds.map((r, i) => [r, own[i]!]));
  }
  return new Map(
    rateIds.length
      ? allocateExact(
          total,
          rateIds.map((r) => exact.get(r)!),
        ).map((m, i) => [rateIds[i]!, m] as const)
      : [],
  );
}

interface ReadLine {
  id: string;
  kind: SaleLine["kind"];
  productId: string | null;
  productName: string;
  sku: string | null;
  categoryId: string | null;
  quantity: Dec;
  unitList: Dec;
  unitDiscount: Dec;
  list: Dec;
  net: Dec;
  taxId: string | null;
  taxes: Map<string, Dec>;
  isReturn: boolean;
  giftCardNumber: string | null;
}

/** One line, both spellings; null for a voided line (it is not part of the sale). */
function readLine(
  l: RawSaleLine,
  i: number,
  ctx: SaleContext,
  fail: (field: string, what: string) => Error,
): ReadLine | null {
  if (l.status?.toUpperCase() === "VOIDED") return null;
  const at = `line_items[${i}]`;
  const productId = l.product_id ?? l.product?.id ?? null;
  const giftCardNumber = l.gift_card_number?.trim() || null;
  const kind: SaleLine["kind"] =
    productId !== null && productId === ctx.discountProductId
      ? "sale_discount"
      : giftCardNumber !== null || (productId !== null && ctx.giftCardProductIds.has(productId))
        ? "gift_card"
        : "product";
  if (productId === null && kind === "product") throw fail(`${at}.product_id`, "missing");
  const product = productId === null ? undefined : ctx.product(productId);
  if (!product && kind === "product") throw fail(`${at}.product_id`, `unknown product ${productId}`);

  const price = l.pricing?.price ?? l.price ?? l.unit_price ?? null;
  if (price === null) throw fail(`${at}.price`, "missing");
  const unitDiscount = l.pricing?.discount ?? l.discount ?? l.unit_discount ?? ZERO;
  const net = l.pricing?.total ?? l.price_total ?? l.total_price ?? mulDec(price, l.quantity);
  if (!near(net, mulDec(price, l.quantity), slack(1))) {
    throw fail(
      `${at}.price_total`,
      `${formatDec(net)} is not price ${formatDec(price)} × quantity ${formatDec(l.quantity)}`,
    );
  }
  const unitList = addDec(price, unitDiscount);

  const taxObject = l.tax != null && typeof l.tax === "object" && !("m" in l.tax) ? l.tax : null;
  const taxId = l.tax_id ?? taxObject?.id ?? null;
  const taxTotal = taxObject?.total ?? l.tax_total ?? l.total_tax ?? null;
  const taxes = new Map<string, Dec>();
  const components = l._metadata?.tax_components ?? l.tax_components ?? [];
  for (const c of components) taxes.set(c.rate_id, addDec(taxes.get(c.rate_id) ?? ZERO, c.total_tax));
  if (components.length && taxTotal !== null && !near(sumDec(taxes.values()), taxTotal, slack(components.length))) {
    throw fail(
      `${at}.tax_components`,
      `they sum to ${formatDec(sumDec(taxes.values()))}, not the line's tax ${formatDec(taxTotal)}`,
    );
  }
  if (!components.length && taxTotal !== null && !isZeroDec(taxTotal)) {
    // A single-rate tax needs no breakdown; a group does.
    const rates = taxId === null ? undefined : ctx.tax(taxId)?.rates;
    if (rates?.length !== 1) throw fail(`${at}.tax_components`, "missing: the line has tax but no amount per tax rate");
    taxes.set(rates[0]!.id, taxTotal);
  }

  return {
    id: l.id,
    kind,
    productId,
    productName: product?.name ?? (kind === "sale_discount" ? "Discount" : "Gift Card"),
    sku: product?.sku ?? null,
    categoryId: kind === "product" ? (product?.categoryId ?? null) : null,
    quantity: l.quantity,
    unitList,
    unitDiscount,
    list: mulDec(unitList, l.quantity),
    net,
    taxId,
    taxes,
    isReturn: l.is_return ?? l.return?.is_return ?? l.quantity.m < 0n,
    giftCardNumber,
  };
}
