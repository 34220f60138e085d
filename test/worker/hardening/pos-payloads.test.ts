import { beforeAll, describe, expect, it } from "vitest";
import type { StatusResponse } from "../../../shared/api";
import type { ErrorCode } from "../../../shared/errors";
import { expectUnchanged, othersOnly, picture, readingOf } from "./snapshot";
import { booked as bookedIn, statusOf as statusIn, trade as tradeIn } from "./trade";
import { createWorld, type World } from "./world";

/**
 * The POS sends what Tillbridge cannot trust: a sale (read through the API while a closure is
 * posted) with fields missing, of the wrong type, money that is not money, absurd precision,
 * quantities and states that make no sense, a payment type or product nobody knows. Each case closes
 * two registers of merchant a at once — one whose sale the POS garbles, one identical but clean —
 * and asserts: the garbled closure is refused with words naming the sale and the field (or, when
 * the garbling is only a different spelling, posts exactly like its twin); the clean closure posts
 * exactly once regardless; merchant b's data, jobs and books do not move.
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
  await world.cron(); // each store's first look at its POS (sync start, cursors) is behind us
}, 120_000);
/** a's data may change (it is a's closures being posted); b's only by being read, as every cron run reads it. */
const bUntouched = () => (where: string) => othersOnly(world, "demo")(where) || readingOf(world, "demo-us")(where);

type Sale = Record<string, unknown> & {
  id: string;
  line_items: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  totals: Record<string, unknown>;
};

interface Case {
  name: string;
  /** Garbles the sale as the API answers it */
  garble: (sale: Sale) => void;
  /** Refused: its code and the words naming what is wrong; absent: posts like its clean twin */
  refused?: { code: ErrorCode; words: RegExp };
  /** Not the POS's fault (a reference its lists do not have yet): blocked on what a person maps, never rejected */
  blocked?: { code: ErrorCode; words: RegExp };
}

const line = (s: Sale) => s.line_items[0]!;
const pricing = (s: Sale) => line(s).pricing as Record<string, unknown>;
/** Every JSON number under `o`, as the decimal string the POS also documents. */
function numbersToStrings(o: unknown): unknown {
  if (typeof o === "number") return String(o);
  if (Array.isArray(o)) return o.map(numbersToStrings);
  if (o && typeof o === "object")
    return Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, k === "version" || k === "sequence" ? v : numbersToStrings(v)]),
    );
  return o;
}

const INVALID = (words: RegExp) => ({ code: "pos_payload_invalid" as const, words });

const CASES: Case[] = [
  {
    name: "a line without its quantity",
    garble: (s) => void delete line(s).quantity,
    refused: INVALID(/line_items\[0\]\.quantity: missing/),
  },
  {
    name: "a quantity in words",
    garble: (s) => void (line(s).quantity = "two"),
    refused: INVALID(/line_items\[0\]\.quantity: not a decimal number: "two"/),
  },
  {
    name: "a line total that is an object",
    garble: (s) => void (pricing(s).total = { amount: 12 }),
    refused: INVALID(/line_items\[0\]\.pricing\.total: expected a number or a decimal string, got an object/),
  },
  {
    name: "a price with absurd precision",
    garble: (s) => void (pricing(s).price = "9.0000000000000000000001"),
    refused: INVALID(/line_items\[0\]\.pricing\.price: too many decimal places/),
  },
  {
    name: "money beyond any till",
    garble: (s) => void (s.totals.price = 5e13),
    refused: INVALID(/totals\.price: .* is out of range/),
  },
  {
    name: "line items that are not a list",
    garble: (s) => void (s.line_items = { first: line(s) } as never),
    refused: INVALID(/line_items: /),
  },
  {
    name: "a state the POS does not have",
    garble: (s) => void (s.state = "TELEPORTED"),
    refused: INVALID(/TELEPORTED/),
  },
  {
    name: "a payment of a payment type nobody knows",
    garble: (s) => void ((s.payments[0]!.type as Record<string, unknown>).config_id = "pt-nobody-knows"),
    blocked: { code: "needs_mapping", words: /payment type pt-nobody-knows .* is not mapped/ },
  },
  {
    name: "a payment without an amount",
    garble: (s) => void delete s.payments[0]!.amount,
    refused: INVALID(/payments\[0\]\.amount: missing/),
  },
  {
    name: "a line of a product the store deleted and no longer has",
    garble: (s) => void (line(s).product = { id: "product-deleted-long-ago" }),
    refused: INVALID(/product-deleted-long-ago/),
  },
  {
    name: "totals that do not add up to the lines",
    garble: (s) => void (s.totals.price = Number(s.totals.price) + 10),
    refused: INVALID(/add up|does not match|totals/),
  },
  {
    name: "a negative quantity on a line sold at a positive total",
    garble: (s) => void (line(s).quantity = -Number(line(s).quantity)),
    refused: INVALID(/line_items\[0\]/),
  },
  { name: "money as decimal strings instead of numbers", garble: (s) => Object.assign(s, numbersToStrings(s)) },
  { name: "ids as integers where the POS sends strings", garble: (s) => void (s.invoice_number = 4242) },
  {
    name: "unknown extra fields everywhere",
    garble: (s) =>
      Object.assign(s, { ai_summary: "🙂", line_items: s.line_items.map((l) => ({ ...l, hologram: true })) }),
  },
];

let n = 0;
const trade = (registerId: string, productId: string) => tradeIn(world, "demo", registerId, productId);
const statusOf = (closure: string) => statusIn(world, world.a, "closure", closure);
const booked = (closure: string) => bookedIn(world, world.a, closure);

describe("a closure whose sale the POS garbles, next to an identical clean one", () => {
  it.each(CASES)("$name", { timeout: 90_000 }, async (c) => {
    const regs = Object.values(world.pos.store("demo").registers);
    const products = Object.values(world.pos.store("demo").products).filter((p) => p.kind === "product");
    const product = products[n % products.length]!.id;
    const [r1, r2] = [regs[n % regs.length]!, regs[(n + 1) % regs.length]!];
    n++;
    const before = await picture(world);
    let garbled = "";
    world.tamper = (path, body) => {
      if (path !== "/sales" && !path.startsWith("/sales/")) return undefined;
      const page = body as { data: Sale[] | Sale };
      for (const sale of Array.isArray(page.data) ? page.data : [page.data]) if (sale.id === garbled) c.garble(sale);
      return page;
    };
    try {
      const bad = trade(r1.id, product);
      garbled = bad.sale;
      const good = trade(r2.id, product);
      await world.settle();
      await world.cron();

      const clean = await statusOf(good.closure);
      expect(clean.state, JSON.stringify(clean.reason)).toBe("posted");
      const twin = booked(good.closure);
      expect(twin.map((d) => d.part)).toEqual(clean.docs.map((d) => d.part).sort());

      const st = await statusOf(bad.closure);
      if (c.refused) {
        expect({ state: st.state, code: st.reason?.code }).toEqual({ state: "rejected", code: c.refused.code });
        expect(st.reason!.message).toMatch(c.refused.words);
        expect(st.reason!.message).toContain(`sale ${bad.sale}`);
        expect(st.reason!.action).toMatch(/Check this object in the back office/);
        expect(booked(bad.closure)).toEqual([]);
      } else if (c.blocked) {
        expect({ state: st.state, code: st.reason?.code }).toEqual({ state: "blocked", code: c.blocked.code });
        expect(st.reason!.message).toMatch(c.blocked.words);
        expect(booked(bad.closure)).toEqual([]);
      } else {
        expect(st.state, JSON.stringify(st.reason)).toBe("posted");
        expect(booked(bad.closure).map(({ part, entity, total }) => ({ part, entity, total }))).toEqual(twin);
      }
    } finally {
      world.tamper = null;
    }
    expectUnchanged(before, await picture(world), bUntouched());
  });

  it("a sale the POS sends without an id: skipped, and its closure refused for not tying out (never posted short)", {
    timeout: 90_000,
  }, async () => {
    const before = await picture(world);
    const regs = Object.values(world.pos.store("demo").registers);
    const product = Object.values(world.pos.store("demo").products).find((p) => p.kind === "product")!.id;
    let garbled = "";
    world.tamper = (path, body) => {
      if (path !== "/sales") return undefined;
      const page = body as { data: Sale[] };
      for (const sale of page.data) if (sale.id === garbled) delete (sale as Record<string, unknown>).id;
      return page;
    };
    try {
      const bad = trade(regs[n++ % regs.length]!.id, product);
      garbled = bad.sale;
      await world.settle();
      await world.cron();
      const stored = await world.env.DB.prepare(
        "SELECT COUNT(*) AS n FROM pos_objects WHERE tenant_id = 'demo' AND kind = 'sale' AND id = ?1",
      )
        .bind(bad.sale)
        .first<{ n: number }>();
      expect(stored!.n).toBe(0);
      expect(world.logs.some((l) => l.includes("pos sale without an id skipped"))).toBe(true);
      // the closure without that sale does not tie out to the POS's own payments summary: refused, not posted short
      const st = await statusOf(bad.closure);
      expect({ state: st.state, code: st.reason?.code }).toEqual({ state: "rejected", code: "pos_payload_invalid" });
      expect(st.reason!.message).toMatch(
        /the closure's payments summary expects \d+\.\d\d but the payments taken in this closure total 0\.00/,
      );
      expect(booked(bad.closure)).toEqual([]);
    } finally {
      world.tamper = null;
    }
    expectUnchanged(before, await picture(world), bUntouched());
  });
});

describe("an on-account sale whose customer or product the POS names badly", () => {
  /** A customer and a product this world never read yet (so the API answer, garbled, is what gets read). */
  let fresh = 0;
  function unread() {
    const store = world.pos.store("demo");
    const customers = Object.values(store.customers).filter((c) => c.companyName);
    const products = Object.values(store.products).filter((p) => p.kind === "product");
    fresh++;
    return { customer: customers[customers.length - fresh]!, product: products[products.length - fresh]! };
  }

  async function onAccount(garble: (path: string, body: Record<string, unknown>) => void) {
    const { customer, product } = unread();
    const reg = Object.values(world.pos.store("demo").registers)[0]!;
    world.tamper = (path, body) => {
      if (path === `/customers/${customer.id}` || path === `/products/${product.id}`)
        garble(path, ((body as { data?: Record<string, unknown> }).data ?? body) as Record<string, unknown>);
      return body;
    };
    try {
      world.pos.openRegister("demo", reg.id);
      const sale = world.pos.addSale("demo", {
        registerId: reg.id,
        kind: "onaccount",
        customerId: customer.id,
        lines: [{ productId: product.id }],
      });
      world.pos.closeRegister("demo", reg.id);
      await world.settle();
      world.advance(60_000); // past the pause between two discoveries of one store
      await world.cron();
      const res = await world.api<StatusResponse>(world.a, "/api/status", {
        body: { objects: [{ kind: "sale", posId: sale.id }] },
      });
      return { status: res.body.objects[0]!, customer, product, sale };
    } finally {
      world.tamper = null;
    }
  }
  const invoiceOf = (docId: string) =>
    (
      world.qbo.entities(world.a.realmId, "Invoice") as {
        Id: string;
        CustomerRef: { value: string };
        Line: { Description?: string }[];
      }[]
    ).find((i) => i.Id === docId)!;
  const customerName = (id: string) =>
    (world.qbo.entities(world.a.realmId, "Customer") as { Id: string; DisplayName: string }[]).find((c) => c.Id === id)!
      .DisplayName;

  it("Unicode everywhere and a 150-character company name with colons and a newline: QBO's own name rules, the words kept", {
    timeout: 90_000,
  }, async () => {
    const before = await picture(world);
    const company = `Café « Ünïcødé » : 🍩\nBakery ${"Ω".repeat(130)}`;
    const productName = "Croissant au beurre — ½ douzaine 🥐";
    const { status } = await onAccount((path, body) => {
      if (path.startsWith("/customers/")) body.company_name = company;
      else body.name = productName.normalize("NFD");
    });
    expect(status.state, JSON.stringify(status.reason)).toBe("posted");
    const invoice = invoiceOf(status.docs.find((d) => d.entity === "Invoice")!.id);
    const name = customerName(invoice.CustomerRef.value);
    expect(name.startsWith("Café « Ünïcødé » 🍩 Bakery ΩΩ")).toBe(true);
    expect(Array.from(name).length).toBeLessThanOrEqual(100);
    expect(name).not.toMatch(/[:\n\t]/);
    expect(invoice.Line.some((l) => l.Description?.startsWith(productName.normalize("NFC")))).toBe(true);
    expectUnchanged(before, await picture(world), bUntouched());
  });

  it("a product name of 3000 characters: refused, naming the product; the sales after it still found and posted", {
    timeout: 90_000,
  }, async () => {
    const before = await picture(world);
    const { status, product } = await onAccount((path, body) => {
      if (path.startsWith("/products/")) body.name = "N".repeat(3000);
    });
    expect({ state: status.state, code: status.reason?.code }).toEqual({
      state: "rejected",
      code: "pos_payload_invalid",
    });
    expect(status.reason!.message).toContain(product.id);
    expect(status.docs).toEqual([]);
    // discovery did not stop at the sale it could not read
    const next = await onAccount(() => undefined);
    expect(next.status.state, JSON.stringify(next.status.reason)).toBe("posted");
    expectUnchanged(before, await picture(world), bUntouched());
  });
});
