import { z } from "zod";
import { MappingOptions } from "../../shared/api";
import { type ErrorCode, TillbridgeError } from "../../shared/errors";
import type { PosCategory, PosPaymentType, PosTax } from "../../shared/domain/pos";
import type { QboRefs } from "../../shared/domain/qbo";
import { createPosConnector } from "../pos/port";
import { openQboPort } from "../qbo/port";
import type { Services } from "../services";

/**
 * What the options page needs to map: the live lists of both systems (what is unmapped is in
 * ./unmapped.ts, suggestions in ./suggest.ts).
 */
export interface Lists {
  refs: QboRefs;
  customers: { id: string; name: string; active: boolean }[];
  pos: {
    paymentTypes: PosPaymentType[];
    categories: PosCategory[];
    taxes: PosTax[];
    outlets: { id: string; name: string }[];
  };
}

const CustomerRow = z.object({ Id: z.string(), DisplayName: z.string(), Active: z.boolean().optional() }).passthrough();

export async function loadLists(s: Services, tenantId: string, reload: boolean): Promise<Lists> {
  const port = await openQboPort(s, tenantId);
  const pos = createPosConnector(s, tenantId);
  const [refs, lists, customers] = await Promise.all([
    port.refs({ reload }),
    pos.referenceLists({ reload }),
    port.client.query("select * from Customer", CustomerRow),
  ]);
  return {
    refs,
    customers: customers.map((c) => ({ id: c.Id, name: c.DisplayName, active: c.Active !== false })),
    pos: { paymentTypes: lists.paymentTypes, categories: lists.categories, taxes: lists.taxes, outlets: lists.outlets },
  };
}

export function toOptions(l: Lists): MappingOptions {
  const named = <T extends { id: string; name: string; active: boolean }>(xs: T[]) =>
    xs.map((x) => ({ id: x.id, name: x.name, active: x.active }));
  return {
    qbo: {
      companyName: l.refs.companyName,
      country: l.refs.country,
      accounts: l.refs.accounts.map((a) => ({
        id: a.id,
        name: a.fullyQualifiedName || a.name,
        active: a.active,
        detail: a.accountType,
        accountType: a.accountType,
        accountSubType: a.accountSubType,
      })),
      items: l.refs.items.map((i) => ({
        id: i.id,
        name: i.name,
        active: i.active,
        detail: i.type,
        type: i.type,
        incomeAccountId: i.incomeAccountId,
      })),
      taxCodes: named(l.refs.taxCodes),
      classes: named(l.refs.classes),
      departments: named(l.refs.departments),
      customers: l.customers,
      fetchedAt: l.refs.fetchedAt,
    },
    pos: posOptions(l.pos),
  };
}

function posOptions(pos: Lists["pos"]): MappingOptions["pos"] {
  return {
    paymentTypes: pos.paymentTypes.map((p) => ({ id: p.id, name: p.name, active: !p.deleted, deleted: p.deleted })),
    categories: pos.categories.map((c) => ({ id: c.id, name: c.path || c.name, active: true })),
    taxes: pos.taxes.map((t) => ({
      id: t.id,
      name: t.name,
      active: !t.deleted,
      detail: t.rates.map((r) => `${r.name} ${r.rate}`).join(" + "),
    })),
    outlets: pos.outlets.map((o) => ({ id: o.id, name: o.name, active: true })),
  };
}

/** The options last served while QBO could be read: what the page shows while it cannot. */
export const lastOptionsKey = (tenantId: string) => `mapping-options:last:${tenantId}`;
/** What keeps QBO from being read until someone connects it again (a QBO outage is not one: it fails as before) */
const NEEDS_CONNECTING: ReadonlySet<ErrorCode> = new Set([
  "qbo_not_connected",
  "qbo_needs_reconnect",
  "qbo_token_expired",
]);

const NO_QBO_LISTS: MappingOptions["qbo"] = {
  companyName: "",
  country: "",
  accounts: [],
  items: [],
  taxCodes: [],
  classes: [],
  departments: [],
  customers: [],
  fetchedAt: "",
};

/**
 * What the drop-downs offer (GET /api/mappings/options). Each answer read live is kept in KV; while
 * QBO is disconnected or its connection needs to be made again, the page gets that last answer,
 * flagged `offline`, so the saved mappings stay readable by name instead of the section vanishing.
 */
export async function mappingOptions(s: Services, tenantId: string, reload: boolean): Promise<MappingOptions> {
  let live: MappingOptions;
  try {
    live = toOptions(await loadLists(s, tenantId, reload));
  } catch (e) {
    if (!(e instanceof TillbridgeError) || !NEEDS_CONNECTING.has(e.code)) throw e;
    const last = MappingOptions.safeParse(await s.kv.get(lastOptionsKey(tenantId), "json").catch(() => null));
    if (last.success) return { ...last.data, offline: { code: e.code } };
    // never read: the POS side alone, when the store answers
    const pos = await createPosConnector(s, tenantId)
      .referenceLists()
      .then(posOptions)
      .catch(() => ({ paymentTypes: [], categories: [], taxes: [], outlets: [] }));
    return { qbo: NO_QBO_LISTS, pos, offline: { code: e.code } };
  }
  await s.kv
    .put(lastOptionsKey(tenantId), JSON.stringify(live))
    .catch((e) => s.log.warn("mapping options not kept", { error: e instanceof Error ? e.message : String(e) }));
  return live;
}
