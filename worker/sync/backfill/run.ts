import type { z } from "zod";
import { servicesFor } from "../../shards";
import { type Backfill, isCalendarDate } from "../../../shared/api";
import { TillbridgeError } from "../../../shared/errors";
import { audit } from "../../db/audit";
import { getConnection } from "../../db/connections";
import { releaseLease, takeLease } from "../../db/leases";
import { countStatements } from "../../lib/d1-count";
import type { Services } from "../../services";
import { planBackfill, releaseObject } from "./plan";
import {
  activeBackfill,
  backfillById,
  type BackfillRow,
  type CountedPolicy,
  createBackfill,
  etaSeconds,
  nextUnreleased,
  progressOf,
  saveProgress,
  setNote,
  setStatus,
  tenantsWithRunningBackfills,
} from "../../db/backfills";
import type { PostContext } from "../engine";
import { inLanes, POSTERS_PER_COMPANY } from "../pool";
import { openTenant, type TenantRuntime } from "../runtime";

/**
 * Backfill by date range (SPEC §3.10): the merchant picks a range; every closure, on-account or
 * layby sale (with its payments), gift-card expiry and manual store-credit issue of it that is not
 * in QBO yet is posted, at QBO's rate limit, with progress kept in D1 (it survives closing the
 * page), and it can be paused and resumed.
 *
 * A step plans the backfill if needed, then releases its objects one by one — each becomes an
 * ordinary sync item posted by the engine — until the step's time runs out, QBO or the POS says
 * "slow down", or the merchant pauses. Steps run from the cron (`runBackfills`, every minute) and
 * right after start/resume. Objects already released keep the engine's own retry schedule even
 * while paused: pausing stops new postings, it does not undo or freeze earlier ones.
 */

export type BackfillOut = z.infer<typeof Backfill>;

export const BACKFILL_MAX_DAYS = 366;
const DEFAULT_STEP_MS = 20_000;
/** Below this the next object might not finish inside the step */
const MIN_ITEM_MS = 3_000;
const THROTTLED = new Set(["qbo_throttled", "pos_throttled"]);

/** D1's queries per Worker invocation on the paid plan (developers.cloudflare.com/d1/platform/limits) */
export const D1_STATEMENTS_PER_INVOCATION = 1_000;
/**
 * What one step may spend by default: the invocation's 1,000 less room for what shares it (the
 * tenant's minute of discovery and posting before the step, in the same queue invocation).
 */
export const DEFAULT_STEP_STATEMENTS = 600;
/** Kept back for what follows the last release: the progress, the lease, the done line. */
const WRAP_UP_STATEMENTS = 12;
/**
 * What a release is assumed to cost before one has finished (recording, linking and posting one
 * object: 14 to 47 statements, 27 on average, one at a time over a week of the test store). Lanes
 * share the counter, so no single release is measured: rounds are, and their mean with half again
 * on top takes over.
 */
const FIRST_ITEM_STATEMENTS = 60;

const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export async function backfillView(db: D1Database, row: BackfillRow, now: Date): Promise<BackfillOut> {
  const p = await progressOf(db, row.id);
  return {
    id: row.id,
    from: row.from_date,
    to: row.to_date,
    status: row.status,
    total: p.total,
    done: p.done,
    failed: p.failed,
    remaining: p.remaining,
    etaSeconds: etaSeconds(row, p, now),
    createdAt: row.created_at,
  };
}

async function requireConnections(s: Services, tenantId: string): Promise<void> {
  const [pos, qbo] = await Promise.all([getConnection(s.db, tenantId, "pos"), getConnection(s.db, tenantId, "qbo")]);
  if (!pos || pos.status === "disconnected") throw new TillbridgeError("pos_not_connected");
  if (pos.status === "needs_reconnect") throw new TillbridgeError("pos_needs_reconnect", pos.status_reason ?? "");
  if (!qbo || qbo.status === "disconnected") throw new TillbridgeError("qbo_not_connected");
  if (qbo.status === "needs_reconnect") throw new TillbridgeError("qbo_needs_reconnect", qbo.status_reason ?? "");
}

/** Starts a backfill of [from, to] (local business days). A paused one is replaced; a running one is not. */
export async function startBackfill(
  s: Services,
  tenantId: string,
  req: { from: string; to: string; counted: CountedPolicy },
  actor: string,
): Promise<BackfillRow> {
  const fields: Record<string, string> = {};
  if (!isCalendarDate(req.from)) fields.from = "not a calendar date";
  if (!isCalendarDate(req.to)) fields.to = "not a calendar date";
  if (!fields.from && !fields.to) {
    if (req.from > req.to) fields.to = "before the start of the range";
    else if (daysBetween(req.from, req.to) >= BACKFILL_MAX_DAYS)
      fields.to = `more than ${BACKFILL_MAX_DAYS} days after the start; backfill a year at a time`;
    // a day that has not started anywhere yet holds nothing to post
    else if (req.to > new Date(s.now().getTime() + 86_400_000).toISOString().slice(0, 10)) fields.to = "in the future";
  }
  if (Object.keys(fields).length)
    throw new TillbridgeError(
      "bad_request",
      `backfill range: ${Object.entries(fields)
        .map(([k, v]) => `${k} ${v}`)
        .join("; ")}`,
      { fields },
    );
  await requireConnections(s, tenantId);

  const active = await activeBackfill(s.db, tenantId);
  if (active?.status === "running")
    throw new TillbridgeError(
      "conflict",
      `backfill ${active.from_date} → ${active.to_date} is still running; pause it to start another`,
    );
  if (active) await setStatus(s.db, active.id, ["paused"], "cancelled", s.now());
  const row = await createBackfill(
    s.db,
    { tenantId, from: req.from, to: req.to, countedPolicy: req.counted, createdBy: actor },
    s.now(),
  );
  const replaced = active ? `, replacing paused backfill #${active.id}` : "";
  await audit(
    s.db,
    {
      tenantId,
      actor,
      action: "backfill",
      detail: `started backfill #${row.id} ${req.from}..${req.to}, counted totals when unknown: ${req.counted}${replaced}`,
    },
    s.now(),
  );
  return row;
}

export async function pauseBackfill(s: Services, tenantId: string, actor: string): Promise<BackfillRow> {
  const active = await activeBackfill(s.db, tenantId);
  if (!active) throw new TillbridgeError("conflict", "no backfill is running");
  if (await setStatus(s.db, active.id, ["running"], "paused", s.now())) {
    await audit(s.db, { tenantId, actor, action: "backfill", detail: `paused backfill #${active.id}` }, s.now());
  }
  return (await backfillById(s.db, active.id))!;
}

export async function resumeBackfill(s: Services, tenantId: string, actor: string): Promise<BackfillRow> {
  const active = await activeBackfill(s.db, tenantId);
  if (!active) throw new TillbridgeError("conflict", "no backfill is paused");
  if (active.status === "paused") {
    await requireConnections(s, tenantId);
    const p = await progressOf(s.db, active.id);
    if (await setStatus(s.db, active.id, ["paused"], "running", s.now(), p.done + p.failed)) {
      await audit(s.db, { tenantId, actor, action: "backfill", detail: `resumed backfill #${active.id}` }, s.now());
    }
  }
  return (await backfillById(s.db, active.id))!;
}

export type StepStop =
  | "idle"
  | "busy"
  | "planning_failed"
  | "not_connected"
  | "paused"
  | "released_all"
  | "throttled"
  | "budget"
  | "max_items"
  | "d1_budget";

export interface StepReport {
  tenantId: string;
  backfillId: number | null;
  planned: boolean;
  released: number;
  stopped: StepStop;
  finished: boolean;
  /** D1 statements the step spent, planning and wrap-up included */
  d1Statements: number;
}

const describe = (e: unknown) =>
  e instanceof TillbridgeError
    ? `${e.code}${e.detail ? `: ${e.detail}` : ""}`
    : e instanceof Error
      ? e.message
      : String(e);

export interface StepOptions {
  budgetMs?: number;
  maxItems?: number;
  posters?: number;
  /**
   * D1 statements the step may spend (default DEFAULT_STEP_STATEMENTS): it releases no object that
   * might take it past them. Planning is not split: a plan that spends more leaves nothing to release
   * in its step, and the next step starts releasing.
   */
  maxStatements?: number;
}

/** One step of a tenant's running backfill (one step at a time per tenant: a D1 lease). */
export async function runBackfillStep(s: Services, tenantId: string, opts: StepOptions = {}): Promise<StepReport> {
  const budget = opts.budgetMs ?? DEFAULT_STEP_MS;
  const counted = countStatements(s.db);
  const cs: Services = { ...s, db: counted.db };
  const report: StepReport = {
    tenantId,
    backfillId: null,
    planned: false,
    released: 0,
    stopped: "idle",
    finished: false,
    d1Statements: 0,
  };
  try {
    if (!(await takeLease(cs.db, tenantId, "backfill", s.now(), Math.ceil(budget / 1000) + 60)))
      return { ...report, stopped: "busy" };
    try {
      const posters = Math.max(1, opts.posters ?? POSTERS_PER_COMPANY);
      const statements = {
        spent: counted.statements,
        cap: Math.max(0, (opts.maxStatements ?? DEFAULT_STEP_STATEMENTS) - WRAP_UP_STATEMENTS),
      };
      report.stopped = await step(cs, tenantId, budget, { maxItems: opts.maxItems, posters, statements }, report);
      if (report.backfillId !== null) report.finished = await settle(cs, tenantId, report.backfillId);
      return report;
    } finally {
      await releaseLease(cs.db, tenantId, "backfill", s.now());
    }
  } finally {
    report.d1Statements = counted.statements();
  }
}

/** The statements a step has spent, and how many its releases may reach (its wrap-up kept back). */
interface StatementBudget {
  spent(): number;
  cap: number;
}

async function step(
  s: Services,
  tenantId: string,
  budget: number,
  { maxItems, posters, statements }: { maxItems: number | undefined; posters: number; statements: StatementBudget },
  report: StepReport,
): Promise<StepStop> {
  const started = Date.now();
  const bf = await activeBackfill(s.db, tenantId);
  if (bf?.status !== "running") return "idle";
  report.backfillId = bf.id;
  // Everything released: what is left (transient failures) is the cron's; only the numbers move.
  if (bf.phase === "posting" && (await nextUnreleased(s.db, bf.id, 1)).length === 0) return "released_all";
  const rs: Services = { ...s, log: s.log.child({ tenant: tenantId, backfill: bf.id }) };
  const rt = await openTenant(rs, tenantId, "backfill");
  if (bf.phase === "planning" && !(await plan(rs, rt, bf, report))) return "planning_failed";
  const ctx = await rt.postContext();
  if (ctx instanceof TillbridgeError) {
    // Nothing is released while a connection is missing: the objects would only be blocked.
    await setNote(s.db, bf.id, describe(ctx), s.now());
    return "not_connected";
  }
  const timeLeft = () => budget - (Date.now() - started);
  return release(rs, rt, ctx, bf, { timeLeft, maxItems, posters, statements, report });
}

/** Plans the backfill; a failure is noted on it and the next step tries again. */
async function plan(s: Services, rt: TenantRuntime, bf: BackfillRow, report: StepReport): Promise<boolean> {
  try {
    await planBackfill(s, rt, bf);
    report.planned = true;
    return true;
  } catch (e) {
    s.log.warn("backfill planning failed; the next step tries again", { error: describe(e) });
    await setNote(s.db, bf.id, `planning: ${describe(e)}`, s.now());
    return false;
  }
}

/**
 * Releases the next objects, a few in flight at once (their creates may go as one QBO batch), until
 * time, the item budget, the D1 statement budget, a pause or QBO's rate limit stops it.
 *
 * Statements: an object is released only if the ones in flight and it, each at the most a release
 * may cost, fit under the cap: FIRST_ITEM_STATEMENTS each until a round has finished, then the
 * dearest round's mean (its statements / the objects it released) with half again on top. A round starts only when
 * one more object fits, so each round releases at least one and the step ends at the cap.
 */
async function release(
  s: Services,
  rt: TenantRuntime,
  ctx: PostContext,
  bf: BackfillRow,
  limits: {
    timeLeft: () => number;
    maxItems: number | undefined;
    posters: number;
    statements: StatementBudget;
    report: StepReport;
  },
): Promise<StepStop> {
  const { report, statements } = limits;
  let perItem = FIRST_ITEM_STATEMENTS;
  let measured = false;
  let inFlight = 0;
  const fits = (extra: number) => statements.spent() + (inFlight + extra) * perItem <= statements.cap;
  for (;;) {
    if (limits.timeLeft() < MIN_ITEM_MS) return "budget";
    if (limits.maxItems !== undefined && report.released >= limits.maxItems) return "max_items";
    // the next two statements (status, next objects) and one object must fit
    if (statements.spent() + 2 + perItem > statements.cap) return "d1_budget";
    if ((await backfillById(s.db, bf.id))?.status !== "running") return "paused";
    const room = limits.maxItems === undefined ? Number.POSITIVE_INFINITY : limits.maxItems - report.released;
    const items = await nextUnreleased(s.db, bf.id, Math.min(limits.posters, room));
    if (items.length === 0) return "released_all";
    let throttled: string | undefined;
    const roundStart = statements.spent();
    let roundReleased = 0;
    await inLanes(
      items,
      limits.posters,
      async (item) => {
        if (limits.timeLeft() < MIN_ITEM_MS) return false;
        // no room while the ones in flight run: the round ends, the cost measured decides what follows
        if (!fits(1)) return false;
        inFlight++;
        try {
          const row = await releaseObject(s, rt, ctx, bf, item);
          report.released++;
          roundReleased++;
          if (row.state === "failed" && THROTTLED.has(row.reason_code ?? "")) throttled ??= row.reason_code ?? "";
        } finally {
          inFlight--;
        }
        return throttled === undefined;
      },
      ctx.qbo.join?.bind(ctx.qbo),
    );
    // a round's mean hides its dearest object: half as much again on top; the first round measured
    // replaces the first guess, later ones can only raise the estimate
    if (roundReleased > 0) {
      const cost = Math.ceil((1.5 * (statements.spent() - roundStart)) / roundReleased);
      perItem = measured ? Math.max(perItem, cost) : cost;
      measured = true;
    }
    if (throttled !== undefined) {
      await setNote(s.db, bf.id, `waiting for the rate limit (${throttled})`, s.now());
      return "throttled";
    }
  }
}

/** Stores the numbers; a backfill whose every object is released and settled is done. */
async function settle(s: Services, tenantId: string, id: number): Promise<boolean> {
  const p = await progressOf(s.db, id);
  await saveProgress(s.db, id, p, s.now());
  const row = await backfillById(s.db, id);
  if (row?.status !== "running" || row.phase !== "posting" || p.unreleased > 0 || p.remaining > 0) return false;
  if (!(await setStatus(s.db, id, ["running"], "done", s.now()))) return false;
  await setNote(s.db, id, null, s.now());
  await audit(
    s.db,
    {
      tenantId,
      actor: "backfill",
      action: "backfill",
      detail: `backfill #${id} done: ${p.done} posted or nothing to post, ${p.failed} waiting for a person or a fix`,
    },
    s.now(),
  );
  s.log.info("backfill done", { tenant: tenantId, backfill: id, ...p });
  return true;
}

/**
 * Every running backfill gets a step, sharing `budgetMs`. For the cron, after the live postings:
 * `await runBackfills(services, { budgetMs: 20_000 })`.
 */
export async function runBackfills(
  s: Services,
  opts: { budgetMs?: number; posters?: number; maxStatements?: number } = {},
): Promise<StepReport[]> {
  const budget = opts.budgetMs ?? DEFAULT_STEP_MS;
  const started = Date.now();
  // every shard's (a tenant's backfill runs on the services of its own shard)
  const tenants = [...new Set((await Promise.all(s.env.shards.map((db) => tenantsWithRunningBackfills(db)))).flat())];
  const reports: StepReport[] = [];
  // the time and the statements are shared: each step gets its part of what is left
  let statementsLeft = opts.maxStatements ?? DEFAULT_STEP_STATEMENTS;
  for (const [i, tenantId] of tenants.entries()) {
    const left = budget - (Date.now() - started);
    if (left < MIN_ITEM_MS) break;
    try {
      const budgetMs = Math.floor(left / (tenants.length - i));
      const maxStatements = Math.floor(statementsLeft / (tenants.length - i));
      const r = await runBackfillStep(await servicesFor(s, tenantId), tenantId, {
        budgetMs,
        maxStatements,
        ...(opts.posters ? { posters: opts.posters } : {}),
      });
      statementsLeft -= r.d1Statements;
      reports.push(r);
    } catch (e) {
      s.log.error("backfill step failed", { tenant: tenantId, error: describe(e) });
    }
  }
  return reports;
}
