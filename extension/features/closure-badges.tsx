import type { ObjectRef } from "../../shared/sync";
import type { BadgeRow } from "../components/board";
import { observe } from "../content/observe";
import { detailClosingDate, rowDate, rowName, rowOf } from "../host/read";
import { closureIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/** A sync badge on every row of Reporting > Register closures, and on the closure summary page. */
export default defineFeature({
  include: (page) => page.kind === "closures" || page.kind === "closure",
  async init(signal, ctx) {
    if (ctx.page.kind === "closure" && ctx.page.id) {
      const object: ObjectRef = { kind: "closure", posId: ctx.page.id };
      if (!(await need("pageTitle", signal, ctx))) return;
      ctx.status.want([object]);
      observe(
        "pageTitle",
        ([title]) => {
          if (title) ctx.badges.add([{ object, place: { append: title }, date: detailClosingDate() ?? undefined }]);
        },
        { signal },
      );
      return;
    }
    observe(
      "closureLink",
      (links) => {
        // everything is read from the page first; the board only writes
        const rows: BadgeRow[] = [];
        for (const link of links) {
          const posId = closureIdOfHref(link.getAttribute("href"));
          if (!posId) continue;
          const row = rowOf(link);
          rows.push({
            object: { kind: "closure", posId },
            place: { after: link },
            name: rowName(row, link),
            date: (row && rowDate(row)) ?? undefined,
          });
        }
        ctx.status.want(rows.map((r) => r.object));
        ctx.badges.add(rows);
      },
      { signal },
    );
    await need("closureLink", signal, ctx);
  },
});
