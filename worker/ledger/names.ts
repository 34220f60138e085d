import type { Customer, Supplier } from "../../shared/domain/pos";

const NAME_MAX = 100;

/** QBO names may not contain ':', tab or newline, and are unique across customers, vendors and employees. */
function qboName(text: string): string {
  const clean = text
    .replace(/[:\t\r\n]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return Array.from(clean).slice(0, NAME_MAX).join("").trim();
}

function personName(first: string | null, last: string | null): string {
  return qboName([first ?? "", last ?? ""].join(" "));
}

/** How a POS customer is named in QBO: company name, else first + last (the anchor's matching order). */
export function customerDisplayName(c: Customer): string {
  return (
    qboName(c.companyName ?? "") ||
    personName(c.firstName, c.lastName) ||
    qboName(c.customerCode ?? "") ||
    qboName(c.email ?? "") ||
    `POS customer ${qboName(c.id)}`
  );
}

/** How a POS supplier is named in QBO: its POS name, else company name, else first + last. */
export function vendorDisplayName(s: Supplier): string {
  return (
    qboName(s.name) ||
    qboName(s.companyName ?? "") ||
    personName(s.firstName, s.lastName) ||
    qboName(s.email ?? "") ||
    `POS supplier ${qboName(s.id)}`
  );
}
