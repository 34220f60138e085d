import AxeBuilder from "@axe-core/playwright";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ROOT } from "../../scripts/stack.mjs";
import { type AttentionItem, type DigestResponse, type RouteName, Routes, SendRequest } from "../../shared/api";
import { emptyMappings } from "../../shared/mappings";
import { SyncState } from "../../shared/sync";
import { previewSample } from "../support/preview-sample";
import { buildExtensionFor, EXTENSION_ID, launchWithExtension, serviceWorkerOf } from "../support/browser";

/**
 * The merchant's console in Chromium (issue 17 items 2, 3, 6): the options page's Needs attention,
 * Reports and Audit log screens, in English and French, against a stand-in Worker whose every answer
 * passes the shared contract; axe-core finds no serious or critical violation on them; the toolbar
 * icon counts what needs attention; a connection made in another tab shows without a reload; and the
 * README's screenshots of each screen are written to docs/screenshots/.
 */

const SHOTS = join(ROOT, "docs", "screenshots");
const POLL = { timeout: 20_000 };
const OPTIONS = `chrome-extension://${EXTENSION_ID}/options.html`;

let context: BrowserContext;
let servers: ServerType[] = [];
let origin = "";
let qboConnected = false;
/** The daily email's settings as the stand-in Worker keeps them */
let digest: DigestResponse;

const item = (over: Partial<AttentionItem>): AttentionItem => ({
  kind: "closure",
  posId: "seq-31",
  posName: "Register 1 #31",
  state: "blocked",
  reason: {
    code: "needs_mapping",
    message: "Payment type 'Afterpay' is not mapped to QuickBooks Online.",
    action: "Choose where Afterpay lands in Tillbridge settings, Mappings.",
    detail: "payment type 'Afterpay'",
    fixAt: "mappings",
    blockedOn: "mapping:paymentTypes.pt-after",
  },
  attempts: 1,
  since: "2026-12-05T22:10:00Z",
  lastTryAt: "2026-12-05T22:10:00Z",
  nextTryAt: null,
  txnDate: "2026-12-05",
  amountMinor: 184_250,
  backOfficeUrl: "http://127.0.0.1:8789/demo/register/closure/summary/seq-31",
  docs: [],
  ...over,
});
let attention: AttentionItem[] = [];
const reset = () => {
  digest = {
    settings: { enabled: false, recipient: null, lang: "en" },
    last: { day: "2026-12-06", at: "2026-12-06T12:03:00Z", status: "sent", count: 3, error: null },
    available: true,
  };
  attention = [
    item({}),
    item({
      kind: "purchase_order",
      posId: "po-1003",
      posName: "MTL-1003",
      state: "rejected",
      reason: {
        code: "qbo_validation",
        message: "QuickBooks Online refused the bill.",
        action: "Correct what it names, then retry.",
        detail:
          "Invalid Reference Id: Invalid Reference Id : Vendor assigned to this transaction has been deleted [2500]",
        fixAt: null,
        blockedOn: null,
      },
      since: "2026-12-06T15:42:00Z",
      backOfficeUrl: "http://127.0.0.1:8789/demo/consignment/po-1003",
      docs: [
        {
          part: "bill",
          entity: "Bill",
          id: "77",
          docNumber: "MTL-1003",
          url: "http://127.0.0.1:8788/app/bill?txnId=77",
        },
      ],
    }),
    item({
      kind: "sale",
      posId: "sale-1042",
      posName: "1042",
      state: "failed",
      reason: {
        code: "qbo_transient",
        message: "QuickBooks Online did not answer.",
        action: "Nothing to do: it is retried by itself.",
        detail: "HTTP 503",
        fixAt: null,
        blockedOn: null,
      },
      attempts: 3,
      since: "2026-12-07T13:02:00Z",
      nextTryAt: "2026-12-07T13:20:00Z",
      backOfficeUrl: "http://127.0.0.1:8789/demo/history#sale-1042",
    }),
  ];
};

/** Every answer goes through the contract's own schema: the page meets what the real Worker sends. */
const answer = <N extends RouteName>(name: N, body: z.input<(typeof Routes)[N]["response"]>) =>
  Response.json(Routes[name].response.parse(body));

function standInWorker(): Hono {
  const app = new Hono();
  const counts = () => ({
    blocked: attention.filter((i) => i.state === "blocked").length,
    failed: attention.filter((i) => i.state === "failed").length,
    rejected: attention.filter((i) => i.state === "rejected").length,
  });
  app.get("/api/me", () =>
    answer("me", {
      tenantId: "demo",
      storeName: "Boutique Démo",
      pos: { status: "connected", displayName: "Boutique Démo", externalId: "demo" },
      qbo: qboConnected
        ? { status: "connected", displayName: "Boutique Démo Inc.", externalId: "9130" }
        : { status: "not_connected" },
      counts: Object.fromEntries(SyncState.options.map((state) => [state, 0])) as Record<SyncState, number>,
    }),
  );
  app.get("/api/attention", () =>
    answer("attention", { counts: counts(), total: attention.length, timeZone: "America/Toronto", items: attention }),
  );
  app.get("/api/attention/count", () => answer("attentionCount", { counts: counts(), total: attention.length }));
  app.post("/api/sync/retry", async (c) => {
    const ref = SendRequest.parse(await c.req.json());
    attention = attention.filter((i) => !(i.kind === ref.kind && i.posId === ref.posId));
    return answer("retry", { object: { ...ref, state: "ready", docs: [], attempts: 0 } });
  });
  app.get("/api/reports/reconciliation", (c) =>
    answer("reconciliation", {
      from: c.req.query("from")!,
      to: c.req.query("to")!,
      timeZone: "America/Toronto",
      rows: [
        ["2026-12-05", "pt-cash", "Cash", 48_215, 48_015, 48_015, "Cash on hand"],
        ["2026-12-05", "pt-card", "Credit card", 136_035, 136_035, 136_035, "Card clearing"],
        ["2026-12-06", "pt-cash", "Cash", 52_780, 52_780, 52_780, "Cash on hand"],
        ["2026-12-06", "pt-card", "Credit card", 141_260, 141_260, 140_760, "Card clearing"],
      ].map(([date, id, name, taken, counted, posted, account]) => ({
        date: date as string,
        paymentTypeId: id as string,
        name: name as string,
        role: "deposit" as const,
        account: { id: `a-${id}`, name: account as string },
        closures: 2,
        takenMinor: taken as number,
        countedMinor: counted as number,
        countedUnknown: 0,
        postedMinor: posted as number,
        waiting: 0,
      })),
    }),
  );
  app.get("/api/reports/liabilities", (c) =>
    answer("liabilities", {
      from: c.req.query("from")!,
      to: c.req.query("to")!,
      timeZone: "America/Toronto",
      syncFrom: null,
      liabilities: (["gift_card", "store_credit"] as const).map((liability, i) => ({
        liability,
        account: { id: `l${i}`, name: i ? "Store credit liability" : "Gift card liability" },
        pos: {
          openingMinor: 125_000 - i * 90_000,
          issuedMinor: 30_000,
          redeemedMinor: 12_500,
          expiredMinor: i ? 0 : 2_000,
          otherMinor: 0,
          closingMinor: 140_500 - i * 88_000,
          balanceNowMinor: 140_500 - i * 88_000,
        },
        posted: {
          issuedMinor: 30_000,
          redeemedMinor: 12_500,
          expiredMinor: i ? 0 : 2_000,
          netMinor: 15_500,
          documents: 9,
          waiting: 0,
        },
        qbo: { balanceMinor: 140_500 - i * 88_000 + (i ? 0 : 2_500), asOf: "2026-12-07T14:00:00Z" },
        differences: [
          {
            line: "balance",
            label: "Balance now",
            posMinor: 140_500,
            otherMinor: 143_000,
            diffMinor: i ? 0 : 2_500,
          },
        ],
      })),
    }),
  );
  app.get("/api/reports/drift", () =>
    answer("drift", {
      documents: [
        {
          kind: "closure",
          posId: "seq-29",
          part: "sales",
          entity: "SalesReceipt",
          id: "412",
          docNumber: "Z29-S",
          status: "edited",
          detail: "Line 2 amount 45.00 → 54.00",
          flaggedAt: "2026-12-06T11:00:00Z",
          checkedAt: "2026-12-07T11:00:00Z",
        },
      ],
    }),
  );
  app.get("/api/digest", () => answer("getDigest", digest));
  app.put("/api/digest", async (c) => {
    digest = { ...digest, settings: Routes.saveDigest.request.parse(await c.req.json()) };
    return answer("saveDigest", digest);
  });
  app.get("/api/audit", () =>
    answer("audit", {
      timeZone: "America/Toronto",
      entries: [
        {
          at: "2026-12-06T15:42:00Z",
          actor: "webhook",
          action: "reject",
          kind: "purchase_order",
          posId: "po-1003",
          posVersion: "4",
          qboEntity: null,
          qboId: null,
          payloadHash: "9f2c4e1ab37d55e0",
          detail: "qbo_validation: Invalid Reference Id [2500]",
          posName: "MTL-1003",
          reason: {
            code: "qbo_validation",
            message: "QuickBooks Online refused the bill.",
            action: "Correct what it names, then retry.",
          },
        },
        {
          at: "2026-12-05T22:10:00Z",
          actor: "cron",
          action: "block",
          kind: "closure",
          posId: "seq-31",
          posVersion: "1",
          qboEntity: null,
          qboId: null,
          payloadHash: null,
          detail: "needs_mapping: payment type 'Afterpay'",
          posName: "Register 1 #31",
          reason: {
            code: "needs_mapping",
            message: "Payment type 'Afterpay' is not mapped to QuickBooks Online.",
            action: "Choose where Afterpay lands in Tillbridge settings, Mappings.",
          },
        },
        {
          at: "2026-12-05T22:09:00Z",
          actor: "user:Marie Tremblay",
          action: "post",
          kind: "closure",
          posId: "seq-30",
          posVersion: "1",
          qboEntity: "SalesReceipt",
          qboId: "408",
          payloadHash: "51be0c9d2a7f6611",
          detail: null,
          posName: "Register 1 #30",
          reason: null,
        },
      ],
    }),
  );
  app.get("/api/mappings", () =>
    answer("getMappings", {
      version: 1,
      // cash lands in an account since made inactive in QBO; the card clearing one is fine
      mappings: {
        ...emptyMappings(),
        paymentTypes: {
          "pt-cash": { role: "deposit", accountId: "a-old" },
          "pt-card": { role: "deposit", accountId: "a-clear" },
        },
        accounts: { giftCardLiability: "a-gift" },
      },
    }),
  );
  const acct = (id: string, name: string, accountType: string, active = true) => ({
    id,
    name,
    accountType,
    accountSubType: null,
    active,
  });
  app.get("/api/mappings/options", () =>
    answer("mappingOptions", {
      qbo: {
        companyName: "Boutique Démo Inc.",
        country: "CA",
        accounts: [
          acct("a-cash", "Cash on hand", "Bank"),
          acct("a-chq", "Chequing", "Bank"),
          acct("a-sav", "Épargne", "Bank"),
          acct("a-old", "Old cash drawer", "Bank", false),
          acct("a-clear", "Card clearing", "Other Current Asset"),
          acct("a-undep", "Undeposited Funds", "Other Current Asset"),
          acct("a-pos", "Tillbridge POS clearing", "Other Current Asset"),
          acct("a-float", "Cash float", "Other Current Asset"),
          acct("a-petty", "Petty cash", "Bank"),
          acct("a-usd", "US dollar account", "Bank"),
          acct("a-gift", "Gift card liability", "Other Current Liability"),
          acct("a-ar", "Accounts Receivable (A/R)", "Accounts Receivable"),
          acct("a-re", "Retained Earnings", "Equity"),
          acct("a-adv", "Store credit expense", "Expense"),
        ],
        items: [
          { id: "i1", name: "Sales - Apparel", type: "Service", incomeAccountId: "a-inc", active: true },
          { id: "i2", name: "Discounts given", type: "Service", incomeAccountId: "a-inc", active: true },
        ],
        taxCodes: [{ id: "t1", name: "GST/QST QC - 9.975", active: true }],
        classes: [],
        departments: [{ id: "d1", name: "Montréal", active: true }],
        customers: [{ id: "c1", name: "POS sales", active: true }],
        fetchedAt: "2026-12-07T00:00:00Z",
      },
      pos: {
        paymentTypes: [
          { id: "pt-cash", name: "Cash", deleted: false, active: true },
          { id: "pt-card", name: "Credit card", deleted: false, active: true },
        ],
        categories: [{ id: "cat-app", name: "Apparel", active: true }],
        taxes: [{ id: "tax-qc", name: "GST + QST", active: true }],
        outlets: [{ id: "out-mtl", name: "Montréal", active: true }],
      },
    }),
  );
  app.get("/api/mappings/unmapped", () => answer("unmapped", { missing: [] }));
  app.get("/api/preview/recent", () =>
    answer("recentObjects", {
      objects: [
        { kind: "closure", posId: "seq-31", name: "Register 1 #31", state: "blocked", txnDate: "2026-12-05" },
        { kind: "closure", posId: "seq-30", name: "Register 1 #30", state: "posted", txnDate: "2026-12-04" },
      ],
    }),
  );
  app.get("/api/preview", (c) =>
    answer(
      "preview",
      previewSample(c.req.query("posId")!, [
        {
          code: "needs_mapping",
          message: "Payment type 'Afterpay' is not mapped to QuickBooks Online.",
          action: "Choose where Afterpay lands in Tillbridge settings, Mappings.",
          mappingKey: "paymentTypes.pt-after",
        },
      ]),
    ),
  );
  app.get("/api/setup", () =>
    answer("setup", {
      held: true,
      liveAt: "2026-12-01T14:05:00Z",
      liveBy: "user:marie",
      firstClosure: { posId: "seq-12", name: "Register 1 #12", state: "posted" },
      released: 0,
      timeZone: "America/Toronto",
    }),
  );
  app.get("/api/mappings/suggestions", () => answer("suggestions", { suggestions: [] }));
  app.get("/api/backfill", () => answer("backfillGet", { backfill: null }));
  return app;
}

const listen = (fetch: (req: Request) => Response | Promise<Response>): Promise<string> =>
  new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });

async function signIn(lang: "en" | "fr"): Promise<void> {
  const sw = await serviceWorkerOf(context);
  await sw.evaluate(async (uiLang) => {
    const local = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } })
      .chrome.storage.local;
    await local.set({
      session: { token: "tbs_e2e", tenantId: "demo", storeName: "Boutique Démo", expiresAt: "2099-01-01T00:00:00Z" },
      uiLang,
    });
  }, lang);
}

/** axe-core on one section of the options page: serious and critical violations, as readable lines. */
async function axeOn(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
}

async function openOptions(hash: string): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto(`${OPTIONS}${hash}`);
  // the sticky section links would sit over the top of each section's screenshot
  await page.addStyleTag({ content: "nav.sections { position: static !important; }" });
  return page;
}

beforeAll(async () => {
  origin = await listen(standInWorker().fetch);
  context = await launchWithExtension({ extensionDir: buildExtensionFor(origin, "e2e-console") });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  for (const s of servers) s.close();
  servers = [];
});

const WORDS = {
  en: {
    summary: "3 need attention: 1 waiting for a fix, 1 to be retried, 1 refused.",
    po: "PO MTL-1003",
    retried: "PO MTL-1003: queued again.",
    recon: "Daily reconciliation per payment type",
    liab: "Gift cards",
    audit: "Tillbridge (on a POS event)",
    connected: "Connected to Boutique Démo Inc.",
    notConnected: "Not connected",
    cardClearing: "Card clearing (Other Current Asset)",
    savings: "Épargne (Bank)",
    choose: "— choose —",
    inactive: "QBO account 'Old cash drawer' is inactive",
    popupQbo: "QuickBooks Online: Boutique Démo Inc. — ● connected",
    digestSaved: "Saved.",
  },
  fr: {
    summary: "3 à traiter : 1 en attente d'une correction, 1 à réessayer, 1 refus.",
    po: "BC MTL-1003",
    retried: "BC MTL-1003 : remis en file.",
    recon: "Rapprochement quotidien par mode de paiement",
    liab: "Cartes-cadeaux",
    audit: "Tillbridge (sur un événement du PDV)",
    connected: "Connecté à Boutique Démo Inc.",
    notConnected: "Non connecté",
    cardClearing: "Card clearing (Autres actifs à court terme)",
    savings: "Épargne (Banque)",
    choose: "— choisir —",
    inactive: "« Old cash drawer » est inactif",
    popupQbo: "QuickBooks En ligne : Boutique Démo Inc. — ● connecté",
    digestSaved: "Enregistré.",
  },
} as const;

describe("the merchant's console in Chromium", () => {
  for (const lang of ["en", "fr"] as const) {
    const w = WORDS[lang];
    it(`needs attention, reports and audit log in ${lang}: axe finds nothing serious, the icon counts, focus stays`, async () => {
      reset();
      qboConnected = false;
      await signIn(lang);
      const page = await openOptions("#attention");
      const section = page.locator("#attention");
      await expect.poll(() => section.getByTestId("attention-row").count(), POLL).toBe(3);
      expect(await section.getByTestId("attention-summary").textContent()).toBe(w.summary);
      expect(await page.getByTestId("attention-count").textContent()).toBe("3");
      // the toolbar icon
      const sw = await serviceWorkerOf(context);
      const iconText = () =>
        sw.evaluate(() =>
          (
            globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
          ).chrome.action.getBadgeText({}),
        );
      await expect.poll(iconText, POLL).toBe("3");
      expect(await axeOn(page, "#attention")).toEqual([]);
      await section.screenshot({ path: join(SHOTS, `attention-${lang}.png`) });

      // retry one from the keyboard: announced, the focus stays on a retry button, the icon follows
      const retry = section.getByRole("button", { name: new RegExp(`: ${w.po}$`) });
      await retry.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => section.getByTestId("attention-live").textContent(), POLL).toBe(w.retried);
      await expect.poll(() => section.getByTestId("attention-row").count(), POLL).toBe(2);
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")), POLL)
        .toBe("attention-retry");
      await expect.poll(iconText, POLL).toBe("2");

      // reports
      const reports = page.locator("#reports");
      await reports.getByTestId("reports-show").click();
      await expect.poll(() => reports.getByTestId("recon-row").count(), POLL).toBe(4);
      expect(await reports.getByRole("heading", { name: w.recon }).count()).toBe(1);
      await expect.poll(() => reports.getByTestId("drift-row").count(), POLL).toBe(1);
      expect(await reports.getByTestId("liab-gift_card").locator("h4").textContent()).toBe(w.liab);
      expect(await axeOn(page, "#reports")).toEqual([]);
      await reports.screenshot({ path: join(SHOTS, `reports-${lang}.png`) });

      // audit log
      const audit = page.locator("#audit");
      await audit.getByTestId("audit-load").click();
      await expect.poll(() => audit.getByTestId("audit-row").count(), POLL).toBe(3);
      expect(await audit.getByTestId("audit-row").first().textContent()).toContain(w.audit);
      expect(await axeOn(page, "#audit")).toEqual([]);
      await audit.screenshot({ path: join(SHOTS, `audit-${lang}.png`) });

      // the preview of a recent closure, picked by its name, as debits and credits; the other sections
      const closures = page.locator("#closures");
      await expect.poll(() => closures.getByTestId("preview-recent").locator("option").count(), POLL).toBe(3);
      await closures.getByTestId("preview-recent").selectOption("seq-31");
      await expect.poll(() => closures.getByTestId("journal-line").count(), POLL).toBe(3);
      for (const id of ["#setup", "#connections", "#closures", "#backfill"])
        expect(await axeOn(page, id), `${lang} ${id}`).toEqual([]);

      // the daily email: opted into with an address, saved in the page's language
      const daily = page.locator("#digest");
      await daily.getByTestId("digest-enabled").check();
      await daily.getByTestId("digest-recipient").fill("owner@boutique.example");
      await daily.getByTestId("digest-save").click();
      await expect.poll(() => daily.getByTestId("digest-said").textContent(), POLL).toBe(w.digestSaved);
      expect(digest.settings).toEqual({ enabled: true, recipient: "owner@boutique.example", lang });
      expect(await axeOn(page, "#digest")).toEqual([]);
      await daily.screenshot({ path: join(SHOTS, `digest-${lang}.png`) });

      // the same screens in a dark system theme
      await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
      for (const id of [
        "#attention",
        "#reports",
        "#audit",
        "#digest",
        "#setup",
        "#connections",
        "#closures",
        "#backfill",
      ])
        expect(await axeOn(page, id), `dark ${id}`).toEqual([]);
      if (lang === "en") await section.screenshot({ path: join(SHOTS, "attention-dark-en.png") });
      await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });

      // mappings: searchable pickers of sensible accounts by their type names; an inactive choice flagged
      const mappings = page.locator("#mappings");
      const cash = mappings.getByTestId("map-paymentTypes_pt-cash-account");
      await expect.poll(() => cash.count(), POLL).toBe(1);
      const offered = await cash.locator("option").allTextContents();
      expect(offered.join("|")).not.toMatch(/Receivable|Retained|Store credit expense|Gift card liability/);
      expect(offered).toContain(w.cardClearing);
      expect(await mappings.getByTestId("map-paymentTypes_pt-cash-account-problem").textContent()).toContain(
        w.inactive,
      );
      const search = mappings.getByTestId("map-paymentTypes_pt-card-account-search");
      await search.fill("epar");
      expect(
        await mappings.getByTestId("map-paymentTypes_pt-card-account").locator("option").allTextContents(),
      ).toEqual([w.choose, w.cardClearing, w.savings]);
      await search.press("ArrowDown");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("map-paymentTypes_pt-card-account");
      expect(await axeOn(page, "#mappings")).toEqual([]);
      await search.fill("");
      await cash.locator("xpath=ancestor::fieldset[1]").screenshot({ path: join(SHOTS, `mappings-${lang}.png`) });

      // QBO connected in another tab: this page says so without a reload
      const status = page.getByTestId("conn-qbo-status");
      expect(await status.textContent()).toBe(w.notConnected);
      await page.evaluate(() => {
        const w = window as unknown as { notReloaded: boolean; visibilityChanges: number };
        w.notReloaded = true;
        // the page must follow the background's word, not a refresh on coming back into view
        w.visibilityChanges = 0;
        document.addEventListener("visibilitychange", () => {
          w.visibilityChanges++;
        });
      });
      qboConnected = true;
      const other = await context.newPage();
      await other.goto(`chrome-extension://${EXTENSION_ID}/connected.html#qbo=connected`);
      await expect.poll(() => other.locator("[data-state]").first().getAttribute("data-state"), POLL).toBe("connected");
      expect(await axeOn(other, "body"), "connected.html").toEqual([]);
      await expect.poll(() => status.textContent(), POLL).toBe(w.connected);
      expect(
        await page.evaluate(() => {
          const w = window as unknown as { notReloaded?: boolean; visibilityChanges: number };
          return { notReloaded: w.notReloaded, visibilityChanges: w.visibilityChanges };
        }),
      ).toEqual({ notReloaded: true, visibilityChanges: 0 });
      await other.close();
      await page.close();

      // the toolbar popup: words beside every symbol, nothing serious for axe
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 360, height: 420 });
      await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      await expect.poll(() => popup.getByTestId("popup-qbo").textContent(), POLL).toContain(w.popupQbo);
      expect(await axeOn(popup, "body")).toEqual([]);
      await popup.close();
    });
  }
});
