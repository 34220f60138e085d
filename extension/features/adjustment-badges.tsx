import type { BadgeRow } from "../components/board";
import { observe } from "../content/observe";
import { actionCell, adjustmentIdOf, rowDate } from "../host/read";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * A badge on each row of Inventory > Stock adjustments (SPEC §4.5): adjustments post by themselves,
 * so the badge shows where each one is (its journal in QBO, waiting for a shrinkage account…), with
 * no button to press.
 */
export default defineFeature({
  include: (page) => page.kind === "adjustments",
  async init(signal, ctx) {
    observe(
      "adjustmentRow",
      (found) => {
        const rows: BadgeRow[] = [];
        for (const row of found) {
          const posId = adjustmentIdOf(row);
          const cell = actionCell(row);
          if (!posId || !cell) continue;
          rows.push({
            object: { kind: "stock_adjustment", posId },
            place: { append: cell },
            date: rowDate(row) ?? undefined,
          });
        }
        if (!rows.length) return;
        ctx.status.want(rows.map((r) => r.object));
        ctx.badges.add(rows);
      },
      { signal },
    );
    await need("adjustmentRow", signal, ctx);
  },
});
