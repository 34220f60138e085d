import { aboutKey } from "../about";
import type { Blockers } from "../blockers";
import { ACCOUNT_TYPES, type RefChecker } from "../refs";
import type { ClosureFigures, PaymentTypeFigures } from "./figures";
import { compareText, type RoledType } from "./rule";

const involved = (t: PaymentTypeFigures) =>
  t.expectedMinor !== 0 ||
  (t.countedMinor ?? 0) !== 0 ||
  t.regularInMinor !== 0 ||
  t.regularOutMinor !== 0 ||
  t.onAccountMinor !== 0;

/** Resolves each payment type that moved money to its role, and each deposit type to its account. */
export function roleTypes(f: ClosureFigures, refs: RefChecker, blockers: Blockers): RoledType[] {
  const out: RoledType[] = [];
  for (const t of f.paymentTypes.values()) {
    if (!involved(t)) continue;
    const key = `paymentTypes.${t.id}`;
    const m = refs.ctx.mappings.paymentTypes[t.id];
    if (!m) {
      blockers.add("needs_mapping", t.thing, key, aboutKey(refs.ctx, key));
      continue;
    }
    if (m.role === "deposit") {
      const account = refs.account(m.accountId, t.thing, key, ACCOUNT_TYPES.deposit);
      if (t.countedMinor === null) blockers.add("needs_counted_totals", `the counted total of ${t.thing}`);
      if (account) out.push({ f: t, role: "deposit", account });
      continue;
    }
    if (m.role === "on_account" && (t.regularInMinor !== 0 || t.regularOutMinor !== 0)) {
      blockers.add(
        "needs_mapping",
        `${t.thing} (regular sales were paid with it, so it is money, not an on-account charge)`,
        key,
      );
      continue;
    }
    out.push({ f: t, role: m.role });
  }
  return out;
}

/** The payment types whose money lands in a deposit or clearing account, by name. */
export function depositTypes(types: readonly RoledType[]): RoledType[] {
  return types.filter((t) => t.role === "deposit").sort((a, b) => compareText(a.f.name, b.f.name));
}

/** What the sales of this closure paid with the types of one role, by sign (out is negative). */
export function paidWith(types: readonly RoledType[], role: RoledType["role"]): { inMinor: number; outMinor: number } {
  let inMinor = 0;
  let outMinor = 0;
  for (const t of types) {
    if (t.role !== role) continue;
    inMinor += t.f.regularInMinor;
    outMinor += t.f.regularOutMinor;
  }
  return { inMinor, outMinor };
}
