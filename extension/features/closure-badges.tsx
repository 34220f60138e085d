import type { ObjectRef } from "../../shared/sync";
import { Badge } from "../components/Badge";
import { mountUi } from "../components/mount";
import { observe } from "../content/observe";
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
        (titles) =>
          titles.slice(0, 1).forEach((h1) => {
            mountUi({ append: h1 }, <Badge ctx={ctx} object={object} compact={false} />, { signal, name: "badge" });
          }),
        { signal },
      );
      return;
    }
    observe(
      "closureLink",
      (links) => {
        const objects: ObjectRef[] = [];
        for (const link of links) {
          const posId = closureIdOfHref(link.getAttribute("href"));
          if (!posId) continue;
          const object: ObjectRef = { kind: "closure", posId };
          objects.push(object);
          mountUi({ after: link }, <Badge ctx={ctx} object={object} />, { signal, name: "badge" });
        }
        ctx.status.want(objects);
      },
      { signal },
    );
    await need("closureLink", signal, ctx);
  },
});
