import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getConnection } from "../../../worker/db/connections";
import { getQboAccess } from "../../../worker/qbo/tokens";
import { postItem, type PostContext } from "../../../worker/sync/engine";
import { openTenant } from "../../../worker/sync/runtime";
import { createStack, TENANT, type Stack } from "../support/stack";
import {
  auditActions,
  closeARegister,
  expectPostedOnce,
  failingDb,
  item,
  later,
  qboDocsOf,
  readyClosures,
  reconnectQbo,
  status,
} from "./support";

/**
 * The fault matrix, part 2: the connection and the Worker itself. Tokens that expire or rotate
 * under a running posting, a connection the merchant revoked in QBO, and the Worker losing D1 (or
 * dying) between QBO's answer and the write that records it. Each ends with exactly one document
 * per part in QBO.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await createStack({ days: 2 });
}, 120_000);
afterEach(() => stack.qbo.clearFaults());

const qboGeneration = async () => (await getConnection(env.DB, TENANT, "qbo"))!.generation;

describe("fault matrix: tokens, the connection, the Worker dying", () => {
  it("access token expired mid-run: refreshed once and the same attempt posts", { timeout: 60_000 }, async () => {
    const generation = await qboGeneration();
    stack.qbo.injectFault({
      realm: stack.realmId,
      match: { entity: "JournalEntry", operation: "create" },
      kind: "expireToken",
    });
    const closureId = await closeARegister(stack);

    const st = await expectPostedOnce(stack, "closure", closureId);
    expect(st.attempts).toBe(1);
    expect(await qboGeneration()).toBe(generation + 1);
    expect(await auditActions("closure", closureId)).toEqual(["post", "post"]);
  });

  it("refresh token rotated by a concurrent refresh: invalid_grant reads storage and carries on", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const base = stack.services();
    // our access token is at its end: the posting must refresh first
    await env.DB.prepare("UPDATE connections SET access_expires_at = ?2 WHERE tenant_id = ?1 AND provider = 'qbo'")
      .bind(TENANT, new Date(stack.now().getTime() - 60_000).toISOString())
      .run();
    const generation = await qboGeneration();
    let raced = false;
    const racing: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      if (!raced && new TextDecoder().decode(await req.clone().arrayBuffer()).includes("grant_type=refresh_token")) {
        raced = true;
        // Another isolate (whose lease ours outlived) refreshes first with the same refresh token:
        // Intuit rotates it, so ours arrives dead (invalid_grant).
        await env.DB.prepare(
          "UPDATE connections SET refresh_lease_until = NULL, refresh_lease_owner = NULL WHERE tenant_id = ?1 AND provider = 'qbo'",
        )
          .bind(TENANT)
          .run();
        await getQboAccess(base, TENANT, { rejectedGeneration: generation });
      }
      return base.fetch(req);
    };
    const rt = await openTenant({ ...base, fetch: racing }, TENANT, "cron");
    const after = await postItem(rt.engineDeps, await rt.postContext(), (await item(stack, "closure", closureId!))!);

    expect(raced).toBe(true);
    expect(after.state).toBe("posted");
    const conn = (await getConnection(env.DB, TENANT, "qbo"))!;
    expect(conn.status).toBe("connected");
    expect(conn.generation).toBe(generation + 1);
    await expectPostedOnce(stack, "closure", closureId!);
  });

  it("connection revoked in QBO: blocked with the reason, then healed by the reconnect alone", {
    timeout: 60_000,
  }, async () => {
    stack.qbo.revokeAll(stack.realmId);
    const closureId = await closeARegister(stack);

    const blocked = await status(stack, "closure", closureId);
    expect(blocked.state).toBe("blocked");
    expect(blocked.reason).toMatchObject({ code: "qbo_needs_reconnect", fixAt: "connections" });
    expect(blocked.reason?.message).toMatch(
      /^The QuickBooks Online connection has ended \(QuickBooks Online refused the refresh token/,
    );
    expect(blocked.reason?.action).toMatch(/waiting items will then be sent by themselves/);
    expect(blocked.nextTryAt).toBeUndefined();
    expect(qboDocsOf(stack, "closure", closureId)).toEqual([]);
    expect((await getConnection(env.DB, TENANT, "qbo"))!.status).toBe("needs_reconnect");
    await later(stack, 5);
    expect((await status(stack, "closure", closureId)).state).toBe("blocked");

    await reconnectQbo(stack);
    expect((await item(stack, "closure", closureId))!.state).toBe("ready");
    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId);
  });

  it("D1 write failing after QBO accepted: the next attempt adopts the document instead of re-sending", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const rt = await openTenant(stack.services(), TENANT, "cron");
    let armed = true;
    const db = failingDb(env.DB, (sql) => armed && sql.includes("json_insert(docs_json") && !(armed = false));
    const after = await postItem(
      { ...rt.engineDeps, db },
      await rt.postContext(),
      (await item(stack, "closure", closureId!))!,
    );

    expect(after.state).toBe("failed");
    const failed = await status(stack, "closure", closureId!);
    expect(failed.reason?.code).toBe("internal");
    expect(failed.reason?.message).toMatch(/^Something went wrong in Tillbridge \(reference D1_ERROR/);
    expect(failed.docs).toEqual([]);
    expect(qboDocsOf(stack, "closure", closureId!).map((d) => d.part)).toEqual(["sales"]);

    await later(stack);
    await expectPostedOnce(stack, "closure", closureId!);
    expect((await auditActions("closure", closureId!)).filter((a) => a === "adopt")).toHaveLength(1);
  });

  it("the Worker dies between QBO's answer and D1: the lease runs out and the next run adopts", {
    timeout: 60_000,
  }, async () => {
    const [closureId] = await readyClosures(stack, 1);
    const rt = await openTenant(stack.services(), TENANT, "cron");
    const ctx = (await rt.postContext()) as PostContext;
    let dead = false;
    const dying: PostContext = {
      ...ctx,
      qbo: {
        ...ctx.qbo,
        async create(entity, body, requestId) {
          const created = await ctx.qbo.create(entity, body, requestId);
          dead = true; // QBO recorded it; from here on the Worker can write nothing
          return created;
        },
      },
    };
    await expect(
      postItem(
        { ...rt.engineDeps, db: failingDb(env.DB, () => dead) },
        dying,
        (await item(stack, "closure", closureId!))!,
      ),
    ).rejects.toThrow(/D1_ERROR/);

    expect((await status(stack, "closure", closureId!)).state).toBe("posting");
    expect(qboDocsOf(stack, "closure", closureId!).map((d) => d.part)).toEqual(["sales"]);
    stack.advance(121_000); // the dead holder's lease runs out
    expect((await status(stack, "closure", closureId!)).state).toBe("ready");

    await stack.cron();
    await expectPostedOnce(stack, "closure", closureId!);
    expect(await auditActions("closure", closureId!)).toEqual(["adopt", "post"]);
  });
});
