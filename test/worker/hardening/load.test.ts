import { beforeAll, describe, expect, it } from "vitest";
import type { StatusResponse } from "../../../shared/api";
import { booked } from "./trade";
import { createWorld, type Tenant, type World } from "./world";

/**
 * The load test's assertion, small enough for `npm test` (the full run is `npm run load`, against
 * `wrangler dev`: scripts/load.mjs). Six merchants — the two demo stores and four copies of the
 * Québec one, each with its own QBO company — close registers at the same moment while each one's
 * extension keeps polling the status endpoint. Every closure ends in QBO exactly once, in its own
 * merchant's company, and the status endpoint answers throughout.
 */
const COPIES = 4;
const CLOSURES_PER_TENANT = 4;
let world: World;
let tenants: Tenant[];

/** Copies of the POS sandbox's `demo` store (catalogue and registers, no history) and of its CA company. */
async function cloneTenants(w: World, count: number): Promise<Tenant[]> {
  const pos = JSON.parse(w.pos.exportState()) as {
    stores: Record<
      string,
      Record<string, unknown> & { retailer: Record<string, unknown>; trading: Record<string, unknown> }
    >;
  };
  const qbo = JSON.parse(w.qbo.exportState()) as {
    realms: Record<string, Record<string, unknown> & { companyInfo: Record<string, unknown> }>;
  };
  const made: { prefix: string; realmId: string }[] = [];
  for (let i = 1; i <= count; i++) {
    const prefix = `copy-${i}`;
    const store = structuredClone(pos.stores.demo!);
    const [a, b, c, d] = crypto.getRandomValues(new Uint32Array(4));
    Object.assign(store, { prefix, sales: {}, giftCards: {}, storeCredits: {}, webhooks: {}, rng: { a, b, c, d } });
    store.retailer = { ...store.retailer, id: crypto.randomUUID(), domainPrefix: prefix, name: `Copy store ${i}` };
    store.trading = { ...store.trading, scheduled: [] };
    pos.stores[prefix] = store;
    const realmId = `93414551307${String(i).padStart(5, "0")}`;
    const realm = structuredClone(qbo.realms[w.a.realmId]!);
    Object.assign(realm, {
      realmId,
      requestIds: {},
      companyInfo: { ...realm.companyInfo, CompanyName: `Copy company ${i}` },
    });
    qbo.realms[realmId] = realm;
    made.push({ prefix, realmId });
  }
  w.pos.importState(JSON.stringify(pos));
  w.qbo.importState(JSON.stringify(qbo));
  const out: Tenant[] = [];
  for (const m of made) {
    const tenant: Tenant = { id: m.prefix, realmId: m.realmId, session: await w.connectPos(m.prefix) };
    await w.connectQbo(tenant);
    expect((await w.api(tenant, "/api/mappings/create-standard", { method: "POST" })).status).toBe(200);
    out.push(tenant);
  }
  await w.settle();
  return out;
}

beforeAll(async () => {
  world = await createWorld();
  tenants = [world.a, world.b, ...(await cloneTenants(world, COPIES))];
  await world.cron();
}, 240_000);

describe("many merchants' closures at once, the status endpoint polled meanwhile", () => {
  it("every closure is posted exactly once, in its own merchant's company; nothing lost", {
    timeout: 180_000,
  }, async () => {
    const closures = new Map<string, string[]>(tenants.map((t) => [t.id, []]));
    // every register of every store closes now: their webhooks all reach the Worker together
    for (let k = 0; k < CLOSURES_PER_TENANT; k++) {
      for (const t of tenants) {
        const store = world.pos.store(t.id);
        const regs = Object.values(store.registers);
        const products = Object.values(store.products).filter((p) => p.kind === "product");
        const reg = regs[k % regs.length]!;
        const seq = world.pos.openRegister(t.id, reg.id);
        world.pos.addSale(t.id, {
          registerId: reg.id,
          lines: [{ productId: products[k % products.length]!.id, quantity: 1 + k }],
        });
        world.pos.closeRegister(t.id, reg.id);
        closures.get(t.id)!.push(seq.id);
      }
    }

    let polling = true;
    const latencies: number[] = [];
    const failures: string[] = [];
    const poll = async (t: Tenant) => {
      while (polling) {
        const at = Date.now();
        const res = await world.api<StatusResponse>(t, "/api/status", {
          body: { objects: closures.get(t.id)!.map((posId) => ({ kind: "closure", posId })) },
        });
        latencies.push(Date.now() - at);
        if (res.status !== 200) failures.push(`${t.id}: ${res.status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const pollers = tenants.map(poll);
    await world.settle();
    world.advance(90 * 60_000); // past any backoff: the cron picks up whatever waited
    await world.cron();
    polling = false;
    await Promise.all(pollers);

    expect(failures).toEqual([]);
    expect(latencies.length).toBeGreaterThan(tenants.length);
    for (const t of tenants) {
      const res = await world.api<StatusResponse>(t, "/api/status", {
        body: { objects: closures.get(t.id)!.map((posId) => ({ kind: "closure", posId })) },
      });
      for (const st of res.body.objects) {
        expect(st.state, `${t.id} closure ${st.posId}: ${JSON.stringify(st.reason)}`).toBe("posted");
        const parts = st.docs.map((d) => d.part).sort();
        expect(
          booked(world, t, st.posId).map((d) => d.part),
          `${t.id} closure ${st.posId} in QBO`,
        ).toEqual(parts);
      }
    }
    // each company holds its own merchant's postings and no one else's
    for (const t of tenants) {
      for (const entity of ["SalesReceipt", "RefundReceipt", "JournalEntry"]) {
        for (const doc of world.qbo.entities(t.realmId, entity) as { PrivateNote?: string }[]) {
          const owner = /key tb1\|([^|]+)\|/.exec(doc.PrivateNote ?? "")?.[1];
          if (owner) expect(owner, `a ${entity} in ${t.id}'s company`).toBe(t.id);
        }
      }
    }
  });
});
