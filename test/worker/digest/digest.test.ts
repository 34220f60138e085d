import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttentionResponse, DigestResponse, MappingsDocument } from "../../../shared/api";
import type { ApiError } from "../../../shared/errors";
import { sendDigests } from "../../../worker/digest/send";
import type { OutgoingEmail } from "../../../worker/services";
import { runScheduled } from "../../../worker/sync/cron";
import { forgetEverything, trade, unmapCash } from "../drift/helpers";
import { createStack, EXTENSION, type Stack, TENANT } from "../support/stack";

/**
 * The daily digest, through the cron's real entry (runScheduled) with the send_email binding replaced
 * at the edge by a recording stand-in. The demo store is in America/Toronto (EST in November, UTC-5).
 */
const HOUR = 3600_000;
const RECIPIENT = "owner@boutique.example";

let stack: Stack;
/** The cash payment type's mapping, taken away for the first days and put back for the last */
let cashMapping: [string, unknown];
const outbox: OutgoingEmail[] = [];
/** What the stand-in does with the next message: record it, or fail as the binding can */
let refuse: string | null = null;
const recorder = async (m: OutgoingEmail) => {
  if (refuse) throw new Error(refuse);
  outbox.push(m);
};

/** Moves the shared clock to `hh:mm` (EST) on `day` (YYYY-MM-DD). */
function at(day: string, hhmm: string) {
  stack.advance(Date.parse(`${day}T${hhmm}:00-05:00`) - stack.now().getTime());
}
const cron = () => runScheduled(env, { scheduledTime: stack.now() }, stack.deps);
const digest = async () => (await stack.api<DigestResponse>("/api/digest")).body;

beforeAll(async () => {
  stack = await createStack();
  stack.deps.sendEmail = recorder;
  // Cash unmapped: the day's closures block on it, and need the merchant.
  cashMapping = await unmapCash(stack);
  await trade(stack);
}, 240_000);
afterAll(forgetEverything);

describe("the daily digest", () => {
  it("is opted into with a valid address, in the merchant's language", async () => {
    expect(await digest()).toEqual({
      settings: { enabled: false, recipient: null, lang: "en" },
      last: null,
      available: true,
    });
    const bad = await stack.api<ApiError>("/api/digest", {
      method: "PUT",
      body: { enabled: true, recipient: "owner at boutique", lang: "fr" },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toEqual(["recipient"]);
    const none = await stack.api<ApiError>("/api/digest", {
      method: "PUT",
      body: { enabled: true, recipient: null, lang: "fr" },
    });
    expect(none.status).toBe(400);
    expect(Object.keys(none.body.error.fields ?? {})).toEqual(["recipient"]);
    expect((await stack.request("/api/digest")).status).toBe(401);

    const ok = await stack.api<DigestResponse>("/api/digest", {
      method: "PUT",
      body: { enabled: true, recipient: ` ${RECIPIENT} `, lang: "fr" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toEqual({ enabled: true, recipient: RECIPIENT, lang: "fr" });
    const trail = await env.DB.prepare("SELECT detail FROM audit_log WHERE tenant_id = ?1 AND action = 'digest'")
      .bind(TENANT)
      .all<{ detail: string }>();
    expect(trail.results).toEqual([{ detail: "daily digest on (fr)" }]);
  });

  it("is sent once a day, at the first cron run after 07:00 in the store's time zone, with every stuck object", async () => {
    const day = stack.now().toISOString().slice(0, 10);
    at(day, "06:58");
    await cron();
    expect(outbox).toEqual([]);
    expect((await digest()).last).toBeNull();

    // two runs at once (a cron run and a late one, or a retried invocation): the day is claimed once
    at(day, "07:01");
    await Promise.all([sendDigests(stack.services()), sendDigests(stack.services())]);
    expect(outbox).toHaveLength(1);
    const list = (await stack.api<AttentionResponse>("/api/attention", { lang: "fr" })).body;
    expect(list.total).toBeGreaterThan(1);
    const [mail] = outbox as [OutgoingEmail];
    expect(mail).toMatchObject({
      from: "digest@tillbridge.example",
      to: RECIPIENT,
      subject: `Tillbridge : ${list.total} éléments demandent votre attention`,
    });
    expect(mail.text).toContain(`${list.total} éléments de `);
    expect(mail.text).toContain("n'arriveront pas dans QuickBooks En ligne sans vous.");
    const states = { blocked: "En attente d'une correction", failed: "En échec, sera réessayé", rejected: "Refusé" };
    for (const item of list.items) {
      // by its POS name ("Register 1 #31"), with the reason and what to do, in French
      if (item.kind === "closure") expect(item.posName).toMatch(/ #\d+$/);
      expect(item.posName).not.toBeNull();
      expect(mail.text).toContain(`${item.posName} — ${states[item.state]}`);
      expect(mail.text).toContain(`   ${item.reason.message}\n   Que faire : ${item.reason.action}\n`);
      expect(mail.html).toContain(`<strong>${item.posName}</strong>`);
    }
    expect(list.items.some((i) => i.kind === "closure")).toBe(true);
    const link = `${EXTENSION}/options.html#attention`;
    expect(mail.text).toContain(`\nOuvrir la liste dans les réglages de Tillbridge : ${link}\n`);
    expect(mail.html).toContain(`<a href="${link}">Ouvrir la liste dans les réglages de Tillbridge</a>`);
    expect(mail.html).toMatch(/^<!doctype html><html lang="fr">/);
    expect((await digest()).last).toMatchObject({ day, status: "sent", count: list.total, error: null });

    // the next cron runs, and one later that day: nothing more
    await cron();
    at(day, "18:30");
    await cron();
    expect(outbox).toHaveLength(1);
  });

  it("records a failure to send where the settings show it, and the cron run carries on", async () => {
    const next = new Date(Date.parse(stack.now().toISOString()) + 24 * HOUR).toISOString().slice(0, 10);
    at(next, "07:05");
    refuse = "destination address is not verified";
    const logsBefore = stack.logs.length;
    const report = await cron();
    refuse = null;
    expect(report.tenants).toBe(1); // the run finished and reported
    expect(outbox).toHaveLength(1);
    const { last } = await digest();
    expect(last).toMatchObject({ day: next, status: "failed", error: "destination address is not verified" });
    expect(last!.count).toBeGreaterThan(0);
    expect(stack.logs.slice(logsBefore).some((l) => l.includes("digest not sent"))).toBe(true);
    // a failed day is not retried each minute (it stays visible until the next day)
    at(next, "08:00");
    await cron();
    expect(outbox).toHaveLength(1);
  });

  it("sends nothing on a day when nothing needs attention, and nothing once turned off", async () => {
    // cash mapped again: the blocked closures post by themselves
    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const [cashId, mapping] = cashMapping;
    const put = await stack.api("/api/mappings", {
      method: "PUT",
      body: {
        version: doc.version,
        mappings: { ...doc.mappings, paymentTypes: { ...doc.mappings.paymentTypes, [cashId]: mapping } },
      },
    });
    expect(put.status).toBe(200);
    await stack.settle();
    await stack.cron();
    expect((await stack.api<AttentionResponse>("/api/attention")).body.total).toBe(0);

    const day = new Date(stack.now().getTime() + 24 * HOUR).toISOString().slice(0, 10);
    at(day, "07:10");
    await cron();
    expect(outbox).toHaveLength(1);
    expect((await digest()).last).toMatchObject({ day, status: "nothing", count: 0 });

    await stack.api("/api/digest", { method: "PUT", body: { enabled: false, recipient: RECIPIENT, lang: "fr" } });
    const off = await digest();
    expect(off.settings).toEqual({ enabled: false, recipient: RECIPIENT, lang: "fr" });
    // the last day stays shown after turning it off
    expect(off.last).toMatchObject({ day, status: "nothing" });
  });
});
