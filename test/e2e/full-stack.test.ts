import AxeBuilder from "@axe-core/playwright";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startStack, type Stack } from "../../scripts/stack.mjs";
import { formatMinor, parseMinor, sumMinor } from "../../shared/money";
import type { ObjectRef, SyncState } from "../../shared/sync";
import { buildExtensionFor, EXTENSION_ID, launchWithExtension, serviceWorkerOf } from "../support/browser";
import { posSandbox, qboSandbox, workerApi, type PosStore } from "../support/sandboxes";

/**
 * Issue 7's proof, the whole of Tillbridge in Chromium: the built extension, the Worker under
 * `wrangler dev` with local D1/KV, the QBO and POS sandboxes and the back-office replica, each a
 * real process on its own port. The steps run in order and build on each other, as a merchant's
 * first day would. Screenshots of every step land in test-results/e2e/.
 */

const SHOTS = join(ROOT, "test-results", "e2e");
const PREFIX = "demo";
const OPTIONS = `chrome-extension://${EXTENSION_ID}/options.html`;
const SLOW = { timeout: 60_000, interval: 500 };

let stack: Stack;
let context: BrowserContext;
let options: Page;
let closures: Page;
let shot = 0;

const pos = () => posSandbox(stack.urls.pos);
const qbo = () => qboSandbox(stack.urls.qbo);
const worker = () => workerApi(stack.urls.worker, session);
let store: PosStore;
let realmId = "";
let firstClosureId = "";

/** Whether a step of the guided setup says it is done ("true" / "false"). */
const stepDone = (step: string) => options.getByTestId(`setup-step-${step}`).getAttribute("data-done");

/** The options page was never reloaded: everything it shows it followed by itself. */
async function stillTheSamePage(): Promise<void> {
  expect(await options.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
}

/** axe-core's serious and critical violations inside `selector` (none is the bar). */
async function axeOn(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
}

async function session(): Promise<string> {
  const sw = await serviceWorkerOf(context);
  const stored = await sw.evaluate(async () => {
    const local = (
      globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }
    ).chrome.storage.local;
    return (await local.get("session")).session as { token: string } | null;
  });
  if (!stored) throw new Error("the extension holds no session");
  return stored.token;
}

async function snap(page: Page, name: string): Promise<void> {
  shot++;
  await page.screenshot({
    path: join(SHOTS, `full-stack-${String(shot).padStart(2, "0")}-${name}.png`),
    fullPage: true,
  });
}

/** How many times the Worker was asked for this route (wrangler dev logs every request). */
const requestsTo = (method: string, path: string) =>
  stack.logs.filter((l) => l.includes(`] ${method} ${path} `)).length;

const paymentType = (name: string) => {
  const found = store.paymentTypes.find((t) => t.name === name && !t.deleted);
  if (!found) throw new Error(`no payment type ${name}`);
  return found;
};

/** A register's day: open, a cash sale (and a card one), close; cash counted one dollar short when asked. */
async function tradeAndClose(registerId: string, opts: { card: boolean; shortByOneDollar?: boolean }): Promise<string> {
  const records = await pos().records(PREFIX);
  const products = Object.values(records.products).filter((p) => p.kind === "product");
  await pos().openRegister(PREFIX, registerId);
  const cash = paymentType("Cash").id;
  const cashSale = await pos().addSale(PREFIX, {
    registerId,
    lines: [{ productId: products[0]!.id, quantity: 2 }],
    payments: [{ paymentTypeId: cash }],
  });
  if (opts.card)
    await pos().addSale(PREFIX, {
      registerId,
      lines: [{ productId: products[8]!.id }],
      payments: [{ paymentTypeId: paymentType("Credit Card").id }],
    });
  const takings = sumMinor(cashSale.payments.map((p) => parseMinor(p.amount)));
  const counted = opts.shortByOneDollar ? { [cash]: formatMinor(takings - 100) } : undefined;
  const closed = await pos().closeRegister(PREFIX, registerId, counted);
  await pos().flushWebhooks();
  return closed.id;
}

/** Waits until the Worker has a sync item for the object (the webhook's work runs after its 200). */
async function known(ref: ObjectRef, states?: SyncState[]): Promise<SyncState> {
  let state: SyncState = "unknown";
  await expect
    .poll(async () => {
      state = (await worker().status(ref)).state;
      return states ? states.includes(state) : state !== "unknown";
    }, SLOW)
    .toBe(true);
  return state;
}

const badgeOf = (page: Page, ref: ObjectRef): Locator =>
  page.locator(`[data-testid="tillbridge-badge"][data-object="${ref.kind}:${ref.posId}"]`);

/** Clicks a link that opens in a new tab and returns that tab, loaded. */
async function follow(link: Locator): Promise<Page> {
  const opened = context.waitForEvent("page");
  await link.click();
  const tab = await opened;
  await tab.waitForLoadState();
  return tab;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const old of readdirSync(SHOTS)) if (old.startsWith("full-stack-")) rmSync(join(SHOTS, old), { force: true });
  stack = await startStack({ ports: "free", watch: false, logFile: join(SHOTS, "full-stack-stack.log") });
  const extensionDir = buildExtensionFor(stack.urls.worker, "e2e-full-stack");
  context = await launchWithExtension({ extensionDir });
  store = (await pos().stores()).find((s) => s.prefix === PREFIX)!;
  // The demo store's seeded history ends on a fixed date; on a machine whose clock is earlier, today's
  // trading would sort below it in the back office. The POS's clock then starts where its history ends.
  const seededUntil = Date.parse(`${store.nextTradingDate}T14:00:00Z`);
  if (Date.now() < seededUntil) await pos().setClock(new Date(seededUntil).toISOString());
});

afterAll(async () => {
  await context?.close();
  await stack?.stop();
});

describe.sequential("Tillbridge end to end: Chromium, the built extension, the Worker under wrangler dev, the sandboxes", () => {
  it("connects the store from the guided setup: options → Worker → POS consent → Worker callback → connected.html, no reload", async () => {
    options = await context.newPage();
    await options.goto(OPTIONS);
    await options.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await expect.poll(() => options.getByTestId("conn-pos-status").textContent(), SLOW).toBe("Not connected");
    expect(await stepDone("store")).toBe("false");
    expect(await axeOn(options, "#setup")).toEqual([]);
    await snap(options, "options-signed-out");

    const opened = context.waitForEvent("page");
    await options.getByTestId("setup-connect-pos").click();
    const consent = await opened;
    const hops: string[] = [];
    consent.on("request", (r) => hops.push(r.url()));
    await consent.waitForURL((u) => u.href.startsWith(`${stack.urls.pos}/connect?`));
    expect(new URL(consent.url()).searchParams.get("redirect_uri")).toBe(`${stack.urls.worker}/auth/pos/callback`);
    await snap(consent, "pos-consent");

    await consent.locator("#approve").click();
    await expect
      .poll(() => consent.getByTestId("connected-message").getAttribute("data-state"), SLOW)
      .toBe("connected");
    expect(hops.some((u) => u.startsWith(`${stack.urls.worker}/auth/pos/callback?`))).toBe(true);
    // the handoff code left the address bar; only the nonce's holder could exchange it
    expect(consent.url()).toBe(`chrome-extension://${EXTENSION_ID}/connected.html`);
    await snap(consent, "pos-connected");
    await consent.close();

    // the options page follows by itself
    await expect.poll(() => stepDone("store"), SLOW).toBe("true");
    expect(await options.getByTestId("conn-pos-status").textContent()).toBe(`Connected to ${store.name}`);
    expect((await worker().call<{ tenantId: string }>("GET", "/api/me")).tenantId).toBe(PREFIX);
    // a store connected through the setup posts nothing before it goes live
    expect(await worker().call<{ held: boolean; liveAt: string | null }>("GET", "/api/setup")).toMatchObject({
      held: true,
      liveAt: null,
    });
    await stillTheSamePage();
  });

  it("connects QuickBooks Online with the Intuit-style button from the setup, through the QBO consent page and back", async () => {
    const button = options.getByTestId("setup-connect-qbo");
    expect(await button.textContent()).toBe("Connect to QuickBooks");
    expect(await button.getAttribute("class")).toContain("intuit-connect");

    const opened = context.waitForEvent("page");
    await button.click();
    const consent = await opened;
    await consent.waitForURL((u) => u.href.startsWith(`${stack.urls.qbo}/connect/oauth2?`));
    expect(new URL(consent.url()).searchParams.get("redirect_uri")).toBe(`${stack.urls.worker}/auth/qbo/callback`);
    await snap(consent, "qbo-consent");
    await consent.locator("#authorize").click();
    await expect
      .poll(() => consent.getByTestId("connected-message").getAttribute("data-state"), SLOW)
      .toBe("connected");
    expect(await consent.getByTestId("connected-message").textContent()).toBe(
      "QuickBooks Online is connected. You can close this tab.",
    );
    await consent.close();

    const connection = await worker().call<{ status: string; externalId: string; displayName: string }>(
      "GET",
      "/api/qbo/connection",
    );
    expect(connection.status).toBe("connected");
    realmId = connection.externalId;
    expect((await qbo().companies()).map((c) => c.realmId)).toContain(realmId);
    await expect.poll(() => stepDone("qbo"), SLOW).toBe("true");
    expect(await options.getByTestId("conn-qbo-status").textContent()).toBe(`Connected to ${connection.displayName}`);
    await expect.poll(() => options.getByTestId("setup-missing").textContent(), SLOW).toMatch(/required choices left/);
    await stillTheSamePage();
    await snap(options, "options-connected");
  });

  it("uses the standard setup from the guided setup: accounts and items created in QBO, every required choice made", async () => {
    await options.getByTestId("setup-standard").click();
    await expect.poll(() => stepDone("mappings"), SLOW).toBe("true");
    expect(await options.getByTestId("setup-missing").textContent()).toBe("Every required choice is made.");
    const accounts = await qbo().entities<{ Name: string }>(realmId, "Account");
    expect(accounts.map((a) => a.Name)).toEqual(
      expect.arrayContaining(["Tillbridge closure clearing", "Gift card liability", "Store credit liability"]),
    );
    // the editor below shows them: every payment type the closures need is mapped, nothing required is left
    await expect
      .poll(() => options.getByTestId(`map-paymentTypes_${paymentType("Cash").id}`).inputValue(), SLOW)
      .toBe("deposit");
    expect(await options.getByTestId("unmapped").textContent()).not.toContain("required");

    await options.getByTestId("save-mappings").click();
    await expect
      .poll(() => options.getByTestId("mappings-notice").textContent(), SLOW)
      .toBe("Settings saved (version 2).");
    // going live is now a person's choice: the button waits for them
    await expect.poll(() => options.getByTestId("setup-go-live").isEnabled(), SLOW).toBe(true);
    await stillTheSamePage();
    await snap(options, "options-mapped");
  });

  it("holds the first real closure, shows it as debits and credits in English and French, and posts it on go live", async () => {
    const register = store.registers[0]!;
    firstClosureId = await tradeAndClose(register.id, { card: true, shortByOneDollar: true });
    const ref: ObjectRef = { kind: "closure", posId: firstClosureId };
    expect(await known(ref, ["blocked"])).toBe("blocked");
    expect(await qbo().entities(realmId, "SalesReceipt")).toEqual([]);

    // the setup finds it by itself: no id to type
    const setup = options.locator("#setup");
    await options.bringToFront();
    await expect.poll(() => setup.getByTestId("journal").count(), SLOW).toBe(2);
    expect(await setup.getByTestId("setup-preview").locator("strong").textContent()).toMatch(
      new RegExp(`^${register.name} #\\d+, `),
    );
    expect(await setup.getByTestId("setup-ties").textContent()).toBe(
      "It ties out to the POS's own totals to the cent.",
    );
    const receipt = setup.locator('[data-testid="journal"][data-entity="SalesReceipt"]');
    expect(await receipt.getByTestId("journal-debits").textContent()).toBe(
      await receipt.getByTestId("journal-credits").textContent(),
    );
    expect(await receipt.getByTestId("journal-line").first().textContent()).toContain("Tillbridge closure clearing");
    expect(await setup.locator("th").allTextContents()).toEqual(expect.arrayContaining(["Account", "Debit", "Credit"]));
    expect(await axeOn(options, "#setup")).toEqual([]);
    // the sticky section links would sit over the screenshot
    await options.addStyleTag({ content: "nav.sections { position: static !important; }" });
    await setup.screenshot({ path: join(ROOT, "docs", "screenshots", "setup-en.png") });

    // the same in French, by the page's own switch
    await options.getByTestId("lang").selectOption("fr");
    await expect.poll(() => setup.locator("h2").first().textContent(), SLOW).toBe("Configurer Tillbridge");
    await expect
      .poll(() => setup.locator("th").allTextContents(), SLOW)
      .toEqual(expect.arrayContaining(["Compte", "Débit", "Crédit"]));
    expect(await setup.getByTestId("setup-ties").textContent()).toBe(
      "Elle concorde au cent près avec les totaux du PDV.",
    );
    expect(await setup.getByTestId("setup-go-live").textContent()).toBe("Mettre en service");
    // what the page said before the switch is said again in French
    expect(await setup.getByTestId("setup-notice").textContent()).toMatch(
      /^Les comptes et articles standard sont choisis/,
    );
    expect(await axeOn(options, "#setup")).toEqual([]);
    await setup.screenshot({ path: join(ROOT, "docs", "screenshots", "setup-fr.png") });
    await options.getByTestId("lang").selectOption("en");
    await expect.poll(() => setup.getByTestId("setup-go-live").textContent(), SLOW).toBe("Go live");

    // go live: asked first, the focus stays on the page's control, the closure posts with no other click
    options.once("dialog", (d) => void d.accept());
    await setup.getByTestId("setup-go-live").click();
    await expect.poll(() => setup.getByTestId("setup-first-posted").count(), SLOW).toBe(1);
    await expect
      .poll(() => options.getByTestId("setup-complete").textContent(), SLOW)
      .toMatch(/^✓ Setup complete: live since /);
    expect(await worker().status(ref)).toMatchObject({ state: "posted" });
    await stillTheSamePage();
    await snap(options, "options-live");

    // the preview screen offers the recent closures by name: no id to paste
    const preview = options.locator("#closures");
    await options.reload();
    const recent = preview.getByTestId("preview-recent");
    await expect.poll(() => recent.locator("option").count(), SLOW).toBeGreaterThan(1);
    await recent.selectOption(firstClosureId);
    await expect.poll(() => preview.getByTestId("journal").count(), SLOW).toBe(2);
    expect(await preview.getByTestId("preview-id").inputValue()).toBe(firstClosureId);
  });

  it("posts a closed register by itself: its badge turns green and links to the document in QuickBooks Online", async () => {
    const closureId = firstClosureId;
    const ref: ObjectRef = { kind: "closure", posId: closureId };
    await known(ref);

    closures = await context.newPage();
    await closures.goto(stack.replica(PREFIX, "/register/closures"));
    const badge = badgeOf(closures, ref);
    await expect.poll(() => badge.getAttribute("data-state"), SLOW).toBe("posted");
    expect(await badge.getAttribute("data-tone")).toBe("green");
    expect(await badge.textContent()).toContain("In QuickBooks Online");
    expect(requestsTo("POST", "/api/sync/send") + requestsTo("POST", "/api/sync/retry")).toBe(0); // nobody clicked
    await snap(closures, "closure-posted");

    // its popover links every document it became: the sales receipt and the payments' journal entry
    await badge.getByTestId("tillbridge-chip").click();
    const links = badge.getByTestId("tillbridge-view");
    expect(await links.allTextContents()).toEqual([
      expect.stringMatching(/^Sales receipt /),
      expect.stringMatching(/^Journal entry /),
    ]);
    expect(await links.nth(1).getAttribute("href")).toMatch(
      new RegExp(`^${stack.urls.qbo}/app/journalentry\\?txnId=\\d+&realm=${realmId}$`),
    );
    const view = links.first();
    const href = (await view.getAttribute("href"))!;
    expect(href).toMatch(new RegExp(`^${stack.urls.qbo}/app/salesreceipt\\?txnId=\\d+&realm=${realmId}$`));
    const doc = await follow(view);
    expect(await doc.locator("#doc-title").textContent()).toContain("SalesReceipt");
    const receipt = (await qbo().entities(realmId, "SalesReceipt")).find(
      (r) => r.Id === new URL(href).searchParams.get("txnId"),
    );
    expect(receipt?.PrivateNote).toContain(closureId);
    // the payments side empties the clearing account into where the money went
    expect((await qbo().entities(realmId, "JournalEntry")).some((j) => j.PrivateNote?.includes(closureId))).toBe(true);
    await snap(doc, "qbo-sales-receipt");
    await doc.close();
  });

  it("turns a closure red with the reason when a mapping is removed, then green with no click once it is restored", async () => {
    const cash = paymentType("Cash").id;
    const role = options.getByTestId(`map-paymentTypes_${cash}`);
    const account = options.getByTestId(`map-paymentTypes_${cash}-account`);
    const cashAccount = await account.inputValue();
    expect(cashAccount).not.toBe("");
    await options.bringToFront();
    await role.selectOption("");
    await options.getByTestId("save-mappings").click();
    await expect
      .poll(() => options.getByTestId("mappings-notice").textContent(), SLOW)
      .toBe("Settings saved (version 3).");

    const closureId = await tradeAndClose(store.registers[1]!.id, { card: false });
    const ref: ObjectRef = { kind: "closure", posId: closureId };
    expect(await known(ref, ["blocked", "posted", "failed", "rejected"])).toBe("blocked");

    await closures.bringToFront();
    await closures.reload();
    const badge = badgeOf(closures, ref);
    await expect.poll(() => badge.getAttribute("data-state"), SLOW).toBe("blocked");
    expect(await badge.getAttribute("data-tone")).toBe("red");
    expect(await badge.textContent()).toContain("Needs a fix"); // the row says little; the popover says why
    await badge.getByTestId("tillbridge-chip").click();
    expect(await badge.textContent()).toContain("Payment type 'Cash' is not mapped.");
    expect(await badge.textContent()).toContain("Map it in Tillbridge settings; this will then be sent by itself.");
    await snap(closures, "closure-blocked");
    await closures.keyboard.press("Escape");

    // the fix, in the options page; the back-office tab is left alone
    await options.bringToFront();
    await options.reload();
    await expect.poll(() => options.getByTestId("unmapped").textContent(), SLOW).toContain("payment type 'Cash'");
    await snap(options, "options-cash-unmapped");
    await role.selectOption("deposit");
    await account.selectOption(cashAccount);
    await options.getByTestId("save-mappings").click();
    await expect
      .poll(() => options.getByTestId("mappings-notice").textContent(), SLOW)
      .toBe("Settings saved (version 4).");

    await closures.bringToFront();
    await expect.poll(() => badge.getAttribute("data-state"), SLOW).toBe("posted");
    expect(await badge.getAttribute("data-tone")).toBe("green");
    expect(requestsTo("POST", "/api/sync/retry")).toBe(0);
    expect(requestsTo("POST", "/api/sync/send")).toBe(0);
    await snap(closures, "closure-healed");
  });

  it("turns a closure red when its account is deactivated in QuickBooks Online, then green by itself once it is reactivated there", async () => {
    const cash = paymentType("Cash").id;
    const accountId = await options.getByTestId(`map-paymentTypes_${cash}-account`).inputValue();
    expect(accountId).not.toBe("");
    const reloads = () => requestsTo("GET", "/api/mappings/options?reload=1");
    const reloadsBefore = reloads();
    await qbo().merchant(realmId, "Account", accountId, "deactivate");

    const closureId = await tradeAndClose(store.registers[0]!.id, { card: false });
    const ref: ObjectRef = { kind: "closure", posId: closureId };
    // whether the Worker learns it from QBO's refusal or from QBO's change feed first, the closure waits
    expect(await known(ref, ["blocked", "posted", "failed", "rejected"])).toBe("blocked");
    expect((await worker().status(ref)).reason?.code).toBe("qbo_invalid_reference");
    await closures.bringToFront();
    await closures.reload();
    const badge = badgeOf(closures, ref);
    await expect.poll(() => badge.getAttribute("data-state"), SLOW).toBe("blocked");
    expect(await badge.getAttribute("data-tone")).toBe("red");

    // the fix is made in QBO, not in Tillbridge: nobody reloads its options and nobody clicks
    await qbo().merchant(realmId, "Account", accountId, "reactivate");
    await stack.runCron(); // the minute's cron, as production runs it
    await expect.poll(() => badge.getAttribute("data-state"), SLOW).toBe("posted");
    expect(await badge.getAttribute("data-tone")).toBe("green");
    expect(requestsTo("POST", "/api/sync/retry")).toBe(0);
    expect(requestsTo("POST", "/api/sync/send")).toBe(0);
    expect(reloads()).toBe(reloadsBefore);
    await snap(closures, "closure-healed-in-qbo");
  });

  it("sends a received purchase order once on a double click, then links to its one bill", async () => {
    const records = await pos().records(PREFIX);
    const order = Object.values(records.purchaseOrders).find((o) => o.status === "SENT");
    if (!order) throw new Error("the demo store has no sent purchase order to receive");
    await pos().receivePurchaseOrder(PREFIX, order.id, {
      costs: [{ type: "SHIPPING", amount: "25.00" }],
      supplierInvoice: "INV-E2E-7",
    });
    const billsBefore = await qbo().entities(realmId, "Bill");

    const page = await context.newPage();
    await page.goto(stack.replica(PREFIX, "/consignment?status=received"));
    const row = page.locator("tr", { has: page.locator(`a[href$="/consignment/${order.id}"]`) });
    const send = row.getByTestId("tillbridge-send");
    await expect.poll(() => send.count(), SLOW).toBe(1);
    await snap(page, "purchase-order-received");
    await send.dblclick();

    // the same button, now the order's badge: its popover links the one bill
    await expect.poll(() => row.getByTestId("tillbridge-badge").getAttribute("data-state"), SLOW).toBe("posted");
    await row.getByTestId("tillbridge-chip").click();
    const view = row.getByTestId("tillbridge-view");
    await expect.poll(() => view.count(), SLOW).toBe(1);
    expect(await view.textContent()).toMatch(/^Bill INV-E2E-7/);
    expect(requestsTo("POST", "/api/sync/send")).toBe(1);
    const bills = await qbo().entities(realmId, "Bill");
    const added = bills.filter((b) => !billsBefore.some((x) => x.Id === b.Id));
    expect(added).toHaveLength(1);
    expect(added[0]!.DocNumber).toBe("INV-E2E-7");
    const vendors = await qbo().entities<{ Id: string; DisplayName: string }>(realmId, "Vendor");
    expect(vendors.find((v) => v.Id === added[0]!.VendorRef?.value)?.DisplayName).toBe(
      records.suppliers[order.supplierId]!.name,
    );
    expect(added[0]!.PrivateNote).toContain(order.orderNumber);
    await snap(page, "purchase-order-sent");

    const href = (await view.getAttribute("href"))!;
    expect(href).toBe(`${stack.urls.qbo}/app/bill?txnId=${added[0]!.Id}&realm=${realmId}`);
    const doc = await follow(view);
    expect(await doc.locator("#doc-title").textContent()).toContain("Bill");
    expect(await doc.locator("#doc-number").textContent()).toBe("INV-E2E-7");
    await snap(doc, "qbo-bill");
    await doc.close();
    await page.close();
  });

  it("shows an on-account sale's invoice on its badge in the sales history", async () => {
    const records = await pos().records(PREFIX);
    const customer = Object.values(records.customers).find((c) => c.companyName === "Atelier Boréal inc.")!;
    const product = Object.values(records.products).find((p) => p.kind === "product")!;
    const register = store.registers[2]!;
    await pos().openRegister(PREFIX, register.id);
    const sale = await pos().addSale(PREFIX, {
      registerId: register.id,
      customerId: customer.id,
      kind: "onaccount",
      lines: [{ productId: product.id, quantity: 3 }],
    });
    await pos().flushWebhooks();
    // the webhook is a hint; the minute's cron is what never misses a sale
    await stack.runCron();
    const ref: ObjectRef = { kind: "sale", posId: sale.id };
    await known(ref);

    const page = await context.newPage();
    await page.goto(stack.replica(PREFIX, "/history?status=on_account"));
    const badge = badgeOf(page, ref);
    await expect.poll(() => badge.getAttribute("data-state"), SLOW).toBe("posted");
    await badge.getByTestId("tillbridge-chip").click();
    const href = (await badge.getByTestId("tillbridge-view").getAttribute("href"))!;
    expect(href).toMatch(new RegExp(`^${stack.urls.qbo}/app/invoice\\?txnId=\\d+&realm=${realmId}$`));
    const invoice = (await qbo().entities(realmId, "Invoice")).find(
      (i) => i.Id === new URL(href).searchParams.get("txnId"),
    )!;
    const customers = await qbo().entities<{ Id: string; DisplayName: string }>(realmId, "Customer");
    expect(customers.find((c) => c.Id === invoice.CustomerRef?.value)?.DisplayName).toBe("Atelier Boréal inc.");
    expect(parseMinor(invoice.TotalAmt ?? 0)).toBe(parseMinor(sale.totals.price_incl_tax));
    await snap(page, "sale-invoice");
    await page.close();
  });

  it("works in French: the options page by its language switch, the badges with it, and a browser set to French", async () => {
    await options.bringToFront();
    await options.getByTestId("lang").selectOption("fr");
    await expect.poll(() => options.locator("h1").textContent(), SLOW).toBe("Paramètres de Tillbridge");
    expect(await options.getByTestId("conn-pos-status").textContent()).toBe(`Connecté à ${store.name}`);
    expect(await options.getByTestId("save-mappings").textContent()).not.toBe("Save settings");
    await snap(options, "options-fr");

    // the open back-office tab follows the switch (its badges ask again, in French)
    await closures.bringToFront();
    await expect
      .poll(() => closures.locator('[data-testid="tillbridge-badge"][data-state="posted"]').first().textContent(), SLOW)
      .toContain("Dans QuickBooks En ligne");
    await snap(closures, "closures-fr");

    const french = await launchWithExtension({
      extensionDir: join(ROOT, ".output", "e2e-full-stack", "chrome-mv3"),
      locale: "fr-CA",
    });
    try {
      const page = await french.newPage();
      await page.goto(OPTIONS);
      await expect.poll(() => page.locator("h1").textContent(), SLOW).toBe("Paramètres de Tillbridge");
      expect(await page.getByTestId("conn-pos-status").textContent()).toBe("Non connecté");
      expect(await page.getByTestId("connect-pos").textContent()).toBe("Connecter votre boutique");
      await snap(page, "options-fr-browser");
    } finally {
      await french.close();
    }
  });
});
