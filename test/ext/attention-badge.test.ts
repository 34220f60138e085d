import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createBackground } from "../../extension/background";
import {
  ALARM_NAME,
  badgeText,
  createAttentionBadge,
  refreshAfter,
  STATUS_REFRESH_MS,
} from "../../extension/background/attention-badge";
import { sessionItem } from "../../extension/background/store";

const WORKER = "http://worker.test";
const SESSION = { token: "tbs_secret_token_123", tenantId: "t1", storeName: "Acme", expiresAt: "2099-01-01T00:00:00Z" };
const content = {
  id: "test-extension-id",
  url: "https://acme.retail.lightspeed.app/register/closures",
  tab: { id: 3 },
};

beforeEach(() => fakeBrowser.reset());

/** A Worker answering the count with `total()`, and the status and retry calls; it records the paths called. */
function worker(total: () => number) {
  const paths: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    paths.push(path);
    const n = total();
    if (path === "/api/attention/count")
      return Response.json({ counts: { blocked: n, failed: 0, rejected: 0 }, total: n });
    if (path === "/api/status") return Response.json({ objects: [] });
    if (path === "/api/sync/retry")
      return Response.json({ object: { kind: "closure", posId: "c1", state: "ready", docs: [], attempts: 1 } });
    return Response.json({ error: { code: "not_found", message: "nf", action: "x" } }, { status: 404 });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, paths };
}
const counts = (paths: string[]) => paths.filter((p) => p === "/api/attention/count").length;

describe("the toolbar icon's count of what needs attention", () => {
  it("shows the number (99+ past 99) and nothing at zero or signed out", () => {
    expect(badgeText(3)).toBe("3");
    expect(badgeText(120)).toBe("99+");
    expect(badgeText(0)).toBe("");
    expect(badgeText(null)).toBe("");
  });

  it("refreshes at once after an action, at most once a minute after status reads", () => {
    expect(refreshAfter({ type: "retry", object: { kind: "closure", posId: "c1" } })).toBe("now");
    expect(refreshAfter({ type: "api", route: "retryAll" })).toBe("now");
    expect(refreshAfter({ type: "status", objects: [{ kind: "closure", posId: "c1" }] })).toBe("soon");
    expect(refreshAfter({ type: "api", route: "audit" })).toBeNull();
    expect(refreshAfter({ type: "prefs" })).toBeNull();
  });

  it("follows the Worker: on start, after an action, after status reads (throttled), on the alarm", async () => {
    await sessionItem.setValue(SESSION);
    let total = 4;
    let clock = Date.parse("2026-12-07T12:00:00Z");
    const w = worker(() => total);
    const { handle, badge } = createBackground({
      workerUrl: WORKER,
      fetch: w.fetch,
      toolbarCount: true,
      now: () => new Date(clock),
      uiLanguage: () => "en",
    });
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe("4"));
    expect(await fakeBrowser.action.getTitle({})).toBe("Tillbridge: 4 need attention");

    // a retry from a badge: counted again at once
    total = 3;
    await handle({ type: "retry", object: { kind: "closure", posId: "c1" } }, content);
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe("3"));

    // page views: a status read right after a count does not count again…
    const before = counts(w.paths);
    await handle({ type: "status", objects: [{ kind: "closure", posId: "c1" }] }, content);
    await badge.refresh("soon");
    expect(counts(w.paths)).toBe(before);
    // …a minute later it does
    clock += STATUS_REFRESH_MS;
    total = 0;
    await handle({ type: "status", objects: [{ kind: "closure", posId: "c1" }] }, content);
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(""));

    // the periodic alarm
    expect(await fakeBrowser.alarms.get(ALARM_NAME)).toBeTruthy();
    total = 7;
    await fakeBrowser.alarms.onAlarm.trigger({ name: ALARM_NAME, scheduledTime: clock });
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe("7"));

    // disconnecting the store: nothing to count
    await sessionItem.setValue(null);
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(""));
  });

  it("keeps the last number when the Worker cannot be reached, and counts once more after a change made meanwhile", async () => {
    let n = 2;
    let fail = false;
    let release: () => void = () => {};
    const texts: string[] = [];
    let calls = 0;
    const b = createAttentionBadge({
      count: async () => {
        calls++;
        if (fail) throw new Error("offline");
        const value = n;
        if (calls === 2) await new Promise<void>((r) => (release = r));
        return value;
      },
      setText: async (t) => void texts.push(t),
      setColor: async () => undefined,
      setTitle: async () => undefined,
      title: async (x) => `${x}`,
      now: () => 0,
    });
    await b.refresh("now");
    expect(texts).toEqual(["2"]);
    // a count on its way (it read 2) when a retry changes it to 1: one more count follows
    const first = b.refresh("now");
    n = 1;
    const second = b.refresh("now");
    release();
    await Promise.all([first, second]);
    expect(texts).toEqual(["2", "2", "1"]);
    fail = true;
    await b.refresh("now");
    expect(texts).toEqual(["2", "2", "1"]);
  });
});
