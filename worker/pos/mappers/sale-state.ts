import type { Sale, SaleKind } from "../../../shared/domain/pos";

type State = Sale["state"];

/**
 * The legacy `status` → `state` + `attributes` table (docs: sales_states_and_attributes). Delivery,
 * pickup and service sales are regular sales once paid; only on-account and layby are their own
 * invoices.
 */
const LEGACY: Record<string, [State, string[]]> = {
  SAVED: ["parked", []],
  OPEN: ["pending", []],
  CLOSED: ["closed", []],
  VOIDED: ["voided", []],
  ONACCOUNT: ["pending", ["onaccount"]],
  ONACCOUNT_CLOSED: ["closed", ["onaccount"]],
  LAYBY: ["pending", ["layby"]],
  LAYBY_CLOSED: ["closed", ["layby"]],
  AWAITING_DISPATCH: ["pending", ["delivery"]],
  DISPATCHED_CLOSED: ["closed", ["delivery"]],
  AWAITING_PICKUP: ["pending", ["pickup"]],
  PICKED_UP_CLOSED: ["closed", ["pickup"]],
  SERVICE: ["pending", ["service"]],
  SERVICE_CLOSED: ["closed", ["service"]],
};

const STATES = new Set<string>(["parked", "pending", "closed", "voided"]);

type Refused = { error: { field: string; what: string } };
export type SaleState = { state: State; attributes: string[] };
export type Classified = { state: State; kind: SaleKind } | Refused;

/** A sale's state and (lower-case) attributes from `state` + `attributes` (2026-07) or the legacy `status`. */
export function saleState(
  state: string | null | undefined,
  attributes: readonly string[] | null | undefined,
  status: string | null | undefined,
): SaleState | Refused {
  if (state != null) {
    const s = state.toLowerCase();
    if (!STATES.has(s)) return { error: { field: "state", what: `unknown state "${state}"` } };
    const attrs = (attributes ?? []).map((a) => a.toLowerCase());
    if (attrs.includes("onaccount") && attrs.includes("layby"))
      return { error: { field: "attributes", what: "both onaccount and layby" } };
    return { state: s as State, attributes: attrs };
  }
  if (status != null) {
    const row = LEGACY[status.toUpperCase()];
    if (!row) return { error: { field: "status", what: `unknown status "${status}"` } };
    return { state: row[0], attributes: [...row[1]] };
  }
  return { error: { field: "state", what: "missing (neither state nor status)" } };
}

/** On-account and layby sales are their own invoices; every other sale is a regular one. */
export function saleKind(attributes: readonly string[]): SaleKind {
  return attributes.includes("onaccount") ? "on_account" : attributes.includes("layby") ? "layby" : "regular";
}

/** A sale's state and kind, for code that reads stored payloads without mapping them. */
export function classifySale(
  state: string | null | undefined,
  attributes: readonly string[] | null | undefined,
  status: string | null | undefined,
): Classified {
  const read = saleState(state, attributes, status);
  return "error" in read ? read : { state: read.state, kind: saleKind(read.attributes) };
}
