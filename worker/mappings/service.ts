import { z } from "zod";
import type { MappingOptions } from "../../shared/api";
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
    pos: {
      paymentTypes: l.pos.paymentTypes.map((p) => ({ id: p.id, name: p.name, active: !p.deleted, deleted: p.deleted })),
      categories: l.pos.categories.map((c) => ({ id: c.id, name: c.path || c.name, active: true })),
      taxes: l.pos.taxes.map((t) => ({
        id: t.id,
        name: t.name,
        active: !t.deleted,
        detail: t.rates.map((r) => `${r.name} ${r.rate}`).join(" + "),
      })),
      outlets: l.pos.outlets.map((o) => ({ id: o.id, name: o.name, active: true })),
    },
  };
}
