import type { Sale, SaleKind } from "../../../shared/domain/pos";

type State = Sale["state"];

/**
 * The legacy `status` → `state` + kind table (docs: sales_states_and_attributes). Delivery, pickup
 * and service sales are regular sales once paid; only on-account and layby are their own invoices.
 */
const LEGACY: Record<string, [State, SaleKind]> = {
  SAVED: ["parked", "regular"],
  OPEN: ["pending", "regular"],
  CLOSED: ["closed", "regular"],
  VOIDED: ["voided", "regular"],
  ONACCOUNT: ["pending", "on_account"],
  ONACCOUNT_CLOSED: ["closed", "on_account"],
  LAYBY: ["pending", "layby"],
  LAYBY_CLOSED: ["closed", "layby"],
  AWAITING_DISPATCH: ["pending", "regular"],
  DISPATCHED_CLOSED: ["closed", "regular"],
  AWAITING_PICKUP: ["pending", "regular"],
  PICKED_UP_CLOSED: ["closed", "regular"],
  SERVICE: ["pending", "regular"],
  SERVICE_CLOSED: ["closed", "regular"],
};

const STATES = new Set<string>(["parked", "pending", "closed", "voided"]);

export type Classified = { state: State; kind: SaleKind } | { error: { field: string; what: string } };

/** A sale's state and kind from `state` + `attributes` (2026-07) or the legacy `status`. */
export function classifySale(
  state: string | null | undefined,
  attributes: readonly string[] | null | undefined,
  status: string | null | undefined,
): Classified {
  if (state != null) {
    const s = state.toLowerCase();
    if (!STATES.has(s)) return { error: { field: "state", what: `unknown state "${state}"` } };
    const attrs = new Set((attributes ?? []).map((a) => a.toLowerCase()));
    if (attrs.has("onaccount") && attrs.has("layby"))
      return { error: { field: "attributes", what: "both onaccount and layby" } };
    const kind: SaleKind = attrs.has("onaccount") ? "on_account" : attrs.has("layby") ? "layby" : "regular";
    return { state: s as State, kind };
  }
  if (status != null) {
    const row = LEGACY[status.toUpperCase()];
    if (!row) return { error: { field: "status", what: `unknown status "${status}"` } };
    return { state: row[0], kind: row[1] };
  }
  return { error: { field: "state", what: "missing (neither state nor status)" } };
}
