import type { ObjectRef, ObjectStatus } from "../../shared/sync";

/**
 * The running stack's control surfaces over HTTP, for the full-stack e2e: the POS sandbox's
 * `/_sandbox/...` (trade, close registers, receive orders), the QBO sandbox's `/_sandbox/...` (what
 * the company's books hold) and the Worker's API with the extension's session (what Tillbridge knows).
 */

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

export interface PosStore {
  prefix: string;
  name: string;
  outlets: { id: string; name: string; timeZone: string }[];
  registers: { id: string; name: string; outletId: string; isOpen: boolean }[];
  paymentTypes: { id: string; name: string; kind: string; deleted: boolean }[];
  /** The first local day the seeded history has not traded yet */
  nextTradingDate: string;
}

/** The parts of the POS sandbox's raw store the test picks from. */
export interface PosRecords {
  products: Record<string, { id: string; kind: string; name: string; price: string }>;
  customers: Record<string, { id: string; firstName: string; lastName: string; companyName: string | null }>;
  suppliers: Record<string, { id: string; name: string }>;
  purchaseOrders: Record<
    string,
    {
      id: string;
      orderNumber: string;
      status: string;
      supplierId: string;
      lines: { productId: string; quantity: string }[];
    }
  >;
}

export interface SaleSpec {
  registerId: string;
  customerId?: string;
  kind?: "regular" | "onaccount" | "layby";
  lines: { productId: string; quantity?: number }[];
  payments?: { paymentTypeId: string; amount?: string }[];
}

/** The POS API's sale, as the control route answers (money as JSON numbers, like the API). */
export interface SaleJson {
  id: string;
  totals: { price: number; tax: number; price_incl_tax: number };
  payments: { amount: number; type: { config_id: string } }[];
}

export function posSandbox(origin: string) {
  const post = async <T>(path: string, body: unknown = {}) =>
    json<T>(
      await fetch(`${origin}/_sandbox${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      `POST ${path}`,
    );
  return {
    stores: async () => json<PosStore[]>(await fetch(`${origin}/_sandbox/stores`), "GET /_sandbox/stores"),
    async records(prefix: string): Promise<PosRecords> {
      const state = await json<{ stores: Record<string, PosRecords> }>(
        await fetch(`${origin}/_sandbox/state`),
        "GET /_sandbox/state",
      );
      const store = state.stores[prefix];
      if (!store) throw new Error(`no store ${prefix} in the POS sandbox`);
      return store;
    },
    openRegister: (prefix: string, registerId: string) =>
      post<{ id: string }>(`/${prefix}/registers/${registerId}/open`),
    addSale: (prefix: string, spec: SaleSpec) => post<SaleJson>(`/${prefix}/sales`, spec),
    closeRegister: (prefix: string, registerId: string, counted?: Record<string, string>) =>
      post<{ id: string }>(`/${prefix}/registers/${registerId}/close`, counted ? { counted } : {}),
    receivePurchaseOrder: (
      prefix: string,
      id: string,
      spec: { costs?: { type: string; amount: string }[]; supplierInvoice?: string },
    ) => post<{ id: string }>(`/${prefix}/purchase_orders/${id}/receive`, spec),
    flushWebhooks: () => post<{ ok: true }>("/webhooks/flush"),
    /** The POS's clock from this instant on (it keeps running) */
    setClock: (now: string) => post<{ now: string }>("/clock", { now }),
  };
}

export interface QboDoc {
  Id: string;
  DocNumber?: string;
  TotalAmt?: number;
  PrivateNote?: string;
  CustomerRef?: { value: string; name?: string };
  VendorRef?: { value: string; name?: string };
  Line?: unknown[];
}

export function qboSandbox(origin: string) {
  return {
    companies: async () =>
      json<{ realmId: string; name: string }[]>(await fetch(`${origin}/_sandbox/companies`), "GET /_sandbox/companies"),
    entities: async <T = QboDoc>(realmId: string, entity: string) =>
      json<T[]>(await fetch(`${origin}/_sandbox/${realmId}/entities/${entity}`), `GET entities ${entity}`),
    /** A merchant's change in QBO, as if made in QBO's own screens: deactivate or reactivate a list record */
    merchant: async (realmId: string, entity: string, id: string, action: "deactivate" | "reactivate") =>
      json<QboDoc>(
        await fetch(`${origin}/_sandbox/${realmId}/entities/${entity}/${id}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ action }),
        }),
        `POST ${action} ${entity} ${id}`,
      ),
  };
}

/** The Worker's API as the extension calls it, with the session the extension holds. */
export function workerApi(origin: string, session: () => Promise<string>) {
  const call = async <T>(method: "GET" | "POST", path: string, body?: unknown) =>
    json<T>(
      await fetch(`${origin}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await session()}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
      `${method} ${path}`,
    );
  return {
    call,
    async status(ref: ObjectRef): Promise<ObjectStatus> {
      const { objects } = await call<{ objects: ObjectStatus[] }>("POST", "/api/status", { objects: [ref] });
      return objects[0]!;
    },
  };
}
