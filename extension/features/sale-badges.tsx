import type { BadgeRow } from "../components/board";
import { observe } from "../content/observe";
import { isAccountSaleStatus, rowDate, rowName, rowOf, rowStatus } from "../host/read";
import { saleIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * A badge on the on-account and layby sales of the sales history (their QBO invoice), with notes such
 * as "paid in QBO: apply it in the POS" when a payment was recorded in QBO rather than in the POS.
 */
export default defineFeature({
  include: (page) => page.kind === "history",
  async init(signal, ctx) {
    observe(
      "saleLink",
      (links) => {
        const rows: BadgeRow[] = [];
        for (const link of links) {
          const row = rowOf(link);
          const posId = saleIdOfHref(link.getAttribute("href"));
          if (!row || !posId || !isAccountSaleStatus(rowStatus(row))) continue;
          rows.push({
            object: { kind: "sale", posId },
            place: { after: link },
            name: rowName(row, link),
            date: rowDate(row) ?? undefined,
          });
        }
        if (!rows.length) return;
        ctx.status.want(rows.map((r) => r.object));
        ctx.badges.add(rows);
      },
      { signal },
    );
    if (await need("saleLink", signal, ctx)) await need("statusHeader", signal, ctx);
  },
});
