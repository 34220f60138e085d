import { Hono } from "hono";
import { giftCardByNumber } from "../ops/liabilities";
import { must, PosSandboxError } from "../store";
import type { GiftCardRec } from "../types";
import type { ApiEnv } from "./index";
import { pageSize } from "./paging";
import { giftCardJson, storeCreditJson } from "./serialize";

/**
 * Gift cards (newest first, `before=<gift card id>` cursor, page size ≤ 1000; `/gift_cards/{number}`
 * answers the bare GiftCard as the spec says, `by_id`/`by_number` wrap it in `data`) and store credit
 * (`/store_credits` is a bare array and `/store_credits/{customerId}` a bare record, per the spec).
 */

const newestFirst = (a: GiftCardRec, b: GiftCardRec) =>
  a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : a.id > b.id ? -1 : 1;

export function liabilityRoutes() {
  const app = new Hono<ApiEnv>();

  app.get("/gift_cards", (c) => {
    const { before, card_number, status, page_size } = c.req.query();
    let cards = Object.values(c.get("store").giftCards).sort(newestFirst);
    if (card_number) cards = cards.filter((g) => g.number === card_number);
    if (status) cards = cards.filter((g) => g.status === status);
    if (before) {
      const i = cards.findIndex((g) => g.id === before);
      if (i < 0) throw new PosSandboxError(400, "before is not a gift card id of this listing");
      cards = cards.slice(i + 1);
    }
    return c.json({ data: cards.slice(0, pageSize(page_size, 1000, 1000)).map(giftCardJson) });
  });

  // The spec answers the whole card (GiftCardSingleton) that holds the transaction.
  app.get("/gift_cards/transactions/:id", (c) => {
    const id = c.req.param("id");
    const card = Object.values(c.get("store").giftCards).find((g) => g.transactions.some((t) => t.id === id));
    return c.json({ data: giftCardJson(must(card, "gift card transaction")) });
  });
  app.get("/gift_cards/by_id/:id", (c) =>
    c.json({ data: giftCardJson(must(c.get("store").giftCards[c.req.param("id")], "gift card")) }),
  );
  app.get("/gift_cards/by_number/:number", (c) =>
    c.json({ data: giftCardJson(must(giftCardByNumber(c.get("store"), c.req.param("number")), "gift card")) }),
  );
  app.get("/gift_cards/:number", (c) =>
    c.json(giftCardJson(must(giftCardByNumber(c.get("store"), c.req.param("number")), "gift card"))),
  );

  app.get("/store_credits", (c) => {
    const store = c.get("store");
    const withCustomer = [...(c.req.queries("includes[]") ?? []), ...(c.req.queries("includes") ?? [])].includes(
      "customer",
    );
    const size = pageSize(c.req.query("page_size"), 1000, 1000);
    return c.json(
      Object.values(store.storeCredits)
        .slice(0, size)
        .map((r) => storeCreditJson(store, r, withCustomer)),
    );
  });

  app.get("/store_credits/:customerId", (c) => {
    const store = c.get("store");
    const id = c.req.param("customerId");
    must(store.customers[id], "customer");
    const rec = store.storeCredits[id] ?? { id, customerId: id, createdAt: store.retailer.createdAt, transactions: [] };
    return c.json(storeCreditJson(store, rec));
  });

  return app;
}
