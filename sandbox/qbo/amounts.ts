/**
 * Reading QBO JSON numbers exactly. Every amount goes through shared/money.ts: a JSON number is read
 * through its decimal text, so 0.1 + 0.2 never happens here.
 */
import { type Dec, MoneyError, parseDec, toMinorExact, toQboAmount } from "../../shared/money";
import { F } from "./faults";

/** Integer cents of an amount field; more than two decimals is a rejection, as QBO rounds nothing for you. */
export function cents(value: unknown, element: string): number {
  const d = decimal(value, element);
  if (d.s > 2)
    throw F.business(
      `${element} ${String(value)} has more than 2 decimal places; amounts must be exact to the cent`,
      element,
    );
  return toMinorExact(d);
}

/** Cents of an optional amount (absent or null = 0). */
export function centsOr0(value: unknown, element: string): number {
  return value === undefined || value === null ? 0 : cents(value, element);
}

export function decimal(value: unknown, element: string): Dec {
  if (typeof value !== "number" && typeof value !== "string")
    throw F.unsupportedProperty(element, `Property Name:${element} must be a number`);
  try {
    return parseDec(value);
  } catch (e) {
    if (e instanceof MoneyError)
      throw F.unsupportedProperty(element, `Property Name:${element} is not a valid decimal: ${String(value)}`);
    throw e;
  }
}

/** The JSON number QBO answers with for an amount in cents. */
export const amt = (minor: number): number => toQboAmount(minor);
