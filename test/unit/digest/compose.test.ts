import { describe, expect, it } from "vitest";
import type { AttentionItem, AttentionResponse } from "../../../shared/api";
import { composeDigest, MAX_LISTED } from "../../../worker/digest/compose";

/** The digest's words and shape, pure: English, the cap on what one email lists, names made safe for HTML. */

const item = (n: number, over: Partial<AttentionItem> = {}): AttentionItem => ({
  kind: "closure",
  posId: `c-${n}`,
  posName: `Register 1 #${n}`,
  state: "failed",
  reason: {
    code: "qbo_transient",
    message: "QuickBooks Online did not answer.",
    action: "Nothing to do: it is retried by itself.",
    detail: null,
    fixAt: null,
    blockedOn: null,
  },
  attempts: 2,
  since: "2026-11-01T15:00:00Z",
  lastTryAt: null,
  nextTryAt: null,
  txnDate: null,
  amountMinor: null,
  backOfficeUrl: null,
  docs: [],
  ...over,
});
const list = (items: AttentionItem[], total = items.length): AttentionResponse => ({
  counts: { blocked: 0, failed: total, rejected: 0 },
  total,
  timeZone: "America/Toronto",
  items,
});
const opts = { lang: "en" as const, storeName: "Boutique Demo", link: "chrome-extension://x/options.html#attention" };

describe("the digest email", () => {
  it("says one item in the singular, with its name, state, day, reason and what to do", () => {
    const mail = composeDigest(list([item(31)]), opts);
    expect(mail.subject).toBe("Tillbridge: 1 item needs your attention");
    expect(mail.text).toBe(
      [
        "1 item from Boutique Demo will not reach QuickBooks Online without you.",
        "0 waiting for a fix, 1 failed and to be retried, 0 refused.",
        "",
        "1. Register 1 #31 — Failed, will be retried (Since Nov 1, 2026)",
        "   QuickBooks Online did not answer.",
        "   What to do: Nothing to do: it is retried by itself.",
        "",
        "Open the list in Tillbridge settings: chrome-extension://x/options.html#attention",
        "Open it in the browser where the Tillbridge extension is installed.",
        "",
        "--",
        "You receive this email because the daily digest is on in Tillbridge settings (Needs attention). Turn it off there.",
        "",
      ].join("\n"),
    );
  });

  it(`lists at most ${MAX_LISTED} and counts the rest; unnamed objects by kind and id; HTML escaped`, () => {
    const items = Array.from({ length: MAX_LISTED }, (_, i) => item(i + 1));
    items[0] = item(1, { posName: null, kind: "purchase_order", posId: "po-9" });
    items[1] = item(2, { posName: "<b>PO & co</b>" });
    const mail = composeDigest(list(items, MAX_LISTED + 12), opts);
    expect(mail.subject).toBe(`Tillbridge: ${MAX_LISTED + 12} items need your attention`);
    expect(mail.text).toContain("1. Purchase order po-9 — Failed");
    expect(mail.text).toContain(`${MAX_LISTED}. Register 1 #${MAX_LISTED} — `);
    expect(mail.text).toContain("…and 12 more in the list.");
    expect(mail.html).toContain("<strong>&lt;b&gt;PO &amp; co&lt;/b&gt;</strong>");
    expect(mail.html).not.toContain("<b>PO");
    expect(mail.html.match(/<li /g)).toHaveLength(MAX_LISTED);
    expect(mail.html).toContain('<a href="chrome-extension://x/options.html#attention">');
  });
});
