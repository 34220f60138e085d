import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SendResponse } from "../../../shared/api";
import type { z } from "zod";
import { createServices } from "../../../worker/services";
import { runCron } from "../../../worker/sync/cron";
import { env } from "cloudflare:workers";
import { createStack, type Stack } from "../support/stack";
import { auditActions, expectPostedOnce, readyClosures } from "./support";

/**
 * The fault matrix, part 4: the same item wanted by two hands at once. Clicks, a click during a
 * cron run, two cron runs: one claim wins, the other finds the item taken or posted, and QBO
 * holds each document exactly once.
 */
type Send = z.infer<typeof SendResponse>;
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => stack.qbo.clearFaults());

const click = (path: "/api/sync/send" | "/api/sync/retry", posId: string) =>
  stack.api<Send>(path, { body: { kind: "closure", posId } });
const postsOf = async (posId: string) =>
  (await auditActions("closure", posId)).filter((a) => a === "post" || a === "adopt").length;

describe("fault matrix: races", () => {
  it("double click: one posting; a retry of the posted item answers posted with its links", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const [a, b] = await Promise.all([click("/api/sync/send", closureId!), click("/api/sync/send", closureId!)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await stack.settle();

    const posted = await expectPostedOnce(stack, "closure", closureId!);
    expect(await postsOf(closureId!)).toBe(2);
    for (const path of ["/api/sync/retry", "/api/sync/send"] as const) {
      const again = await click(path, closureId!);
      expect(again.status).toBe(200);
      expect(again.body.object.state).toBe("posted");
      expect(again.body.object.docs).toEqual(posted.docs);
      expect(again.body.object.docs.every((d) => d.url?.startsWith("http"))).toBe(true);
    }
    await stack.settle();
    expect(await postsOf(closureId!)).toBe(2);
  });

  it("click during a cron run: every closure posted once, by one of them", { timeout: 60_000 }, async () => {
    const ids = await readyClosures(stack, 4);
    const cron = stack.cron();
    const clicks = await Promise.all([click("/api/sync/send", ids[3]!), click("/api/sync/send", ids[0]!)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await cron;
    await stack.settle();

    for (const id of ids) {
      await expectPostedOnce(stack, "closure", id);
      expect(await postsOf(id)).toBe(2);
    }
  });

  it("two cron runs overlapping: each item posted by exactly one of them", { timeout: 60_000 }, async () => {
    const ids = await readyClosures(stack, 4);
    const run = (name: string) =>
      runCron(createServices(env, stack.deps, { requestId: name }), { scheduledTime: stack.now(), budgetMs: 30_000 });
    const [one, two] = await Promise.all([run("cron-a"), run("cron-b")]);
    await stack.settle();

    expect(one.posted + two.posted).toBe(ids.length);
    for (const id of ids) {
      await expectPostedOnce(stack, "closure", id);
      expect(await postsOf(id)).toBe(2);
    }
  });
});
