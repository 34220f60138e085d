import { addDec, parseDec, parseMinor, roundDec, toMinor, toMinorExact, type Dec } from "../../../shared/money";
import { saleJson } from "../../../sandbox/pos/api/serialize-sale";
import type { StoreState } from "../../../sandbox/pos/types";

/**
 * Reading the sandbox's API JSON the way a connector would: every number through its decimal text
 * (shared/money.ts), never float arithmetic. The tests recompute figures from this JSON and compare
 * them with what the sandbox computed from its raw records.
 */

export type SaleJson = ReturnType<typeof saleJson>;

export const cents = (n: number | string): number => toMinorExact(parseDec(n));
export const roundCents = (d: Dec): number => toMinor(d, "half-up");
export const d = (n: number | string): Dec => parseDec(n);
export const sumDec = (xs: Dec[]): Dec => xs.reduce((a, b) => addDec(a, b), { m: 0n, s: 0 });
export const minor = (s: string) => parseMinor(s);
export { roundDec };

export function allSales(store: StoreState): SaleJson[] {
  return Object.values(store.sales).map((s) => saleJson(store, s));
}

export function isAccount(sale: SaleJson): boolean {
  return sale.attributes.includes("onaccount") || sale.attributes.includes("layby");
}
