import type { z } from "zod";
import { TillbridgeError } from "../../shared/errors";
import {
  batchRequestBody,
  chunkFailed,
  planBatches,
  readBatchResponse,
  type BatchItem,
  type BatchResult,
} from "./batch";
import { QboError } from "./faults";
import { DEFAULT_TIMEOUT_MS, sendQbo, type QboRequest } from "./http";
import { entityOfQuery, MAX_RESULTS, pageOf } from "./query";
import { noteThrottled, takeRequestSlot } from "./rate";
import { endConnection, getQboAccess, type QboAccess, type QboServices } from "./tokens";

/**
 * The QBO Accounting API client of one tenant's company. Every call: a rate slot, the current
 * access token (refreshed single-flight when needed), minorversion=75, a timeout, and one
 * classified error on failure. A 401 refreshes and retries once; a second 401 ends the
 * connection (needs_reconnect). Nothing else is retried here: the engine owns retry policy.
 */

/** Where the client gets tokens from: D1 normally; a fixed token during the OAuth callback. */
export interface TokenSource {
  current(): Promise<QboAccess>;
  afterRejected(rejected: QboAccess): Promise<QboAccess>;
  revoked(reason: string, access: QboAccess): Promise<void>;
}

export interface SavedEntity {
  Id: string;
  SyncToken?: string;
  [field: string]: unknown;
}

export interface EntityVersion {
  Id: string;
  SyncToken: string;
}

/** Payment and SalesReceipt are voided by a sparse update with include=void; the others by operation=void. */
const VOID_BY_UPDATE = new Set(["Payment", "SalesReceipt"]);
const MAX_PAGES = 200;
const REUSE_MARGIN_MS = 2 * 60 * 1000;

function entityPath(entity: string): string {
  if (!/^[A-Z][A-Za-z]+$/.test(entity)) throw new Error(`not a QBO entity: ${entity}`);
  return entity.toLowerCase();
}

function checkRequestId(requestId: string, max = 50): string {
  if (!/^[A-Za-z0-9_.:-]+$/.test(requestId) || requestId.length > max)
    throw new Error(`requestid must be 1..${max} characters of [A-Za-z0-9_.:-]`);
  return requestId;
}

export class QboClient {
  private access: QboAccess | undefined;

  private constructor(
    private readonly s: QboServices,
    readonly tenantId: string,
    readonly realmId: string,
    private readonly tokens: TokenSource,
    private readonly timeoutMs: number,
  ) {}

  /** The client of a tenant's stored connection. Throws qbo_not_connected / qbo_needs_reconnect. */
  static async open(s: QboServices, tenantId: string, opts: { timeoutMs?: number } = {}): Promise<QboClient> {
    const tokens: TokenSource = {
      current: () => getQboAccess(s, tenantId),
      afterRejected: (rejected) => getQboAccess(s, tenantId, { rejectedGeneration: rejected.generation }),
      revoked: async (reason, access) => void (await endConnection(s, tenantId, reason, access.generation)),
    };
    const access = await tokens.current();
    const client = new QboClient(s, tenantId, access.realmId, tokens, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    client.access = access;
    return client;
  }

  /** A client on tokens not stored yet (the OAuth callback reading CompanyInfo). */
  static withAccessToken(
    s: QboServices,
    tenantId: string,
    realmId: string,
    accessToken: string,
    accessExpiresAt: Date,
  ): QboClient {
    const access: QboAccess = { accessToken, realmId, generation: 0, accessExpiresAt };
    const tokens: TokenSource = {
      current: async () => access,
      afterRejected: async () => {
        throw new TillbridgeError("qbo_needs_reconnect", "QuickBooks Online rejected the new access token");
      },
      revoked: async () => {},
    };
    const client = new QboClient(s, tenantId, realmId, tokens, DEFAULT_TIMEOUT_MS);
    client.access = access;
    return client;
  }

  private async currentAccess(): Promise<QboAccess> {
    // Storage refreshes at 5 minutes left; a token it handed back after a failed proactive refresh
    // is used until 2 minutes are left, so one failing token endpoint is not asked on every call.
    if (!this.access || this.access.accessExpiresAt.getTime() - this.s.now().getTime() < REUSE_MARGIN_MS)
      this.access = await this.tokens.current();
    if (this.access.realmId !== this.realmId) {
      throw new QboError("qbo_transient", "the connected QuickBooks Online company changed during this run", {
        errors: [],
        outcomeUnknown: false,
      });
    }
    return this.access;
  }

  private async call(req: QboRequest, opts: { batch?: boolean } = {}): Promise<Record<string, unknown>> {
    let access = await this.currentAccess();
    for (let attempt = 0; ; attempt++) {
      await takeRequestSlot(this.s.db, this.realmId, this.s.now, opts);
      try {
        return await sendQbo(this.s, this.realmId, access.accessToken, req, this.timeoutMs);
      } catch (e) {
        if (!(e instanceof QboError)) throw e;
        if (e.code === "qbo_token_expired" && attempt === 0) {
          access = this.access = await this.tokens.afterRejected(access);
          continue;
        }
        if (e.code === "qbo_token_expired" || e.code === "qbo_needs_reconnect") {
          const reason =
            e.code === "qbo_token_expired"
              ? `QuickBooks Online keeps refusing a freshly refreshed access token (${e.detail})`
              : (e.detail ?? "access revoked");
          await this.tokens.revoked(reason, access);
          throw new QboError("qbo_needs_reconnect", reason, e.info);
        }
        if (e.code === "qbo_throttled" && e.info.httpStatus === 429)
          await noteThrottled(this.s.db, this.realmId, this.s.now());
        throw e;
      }
    }
  }

  /** Every row of a query, paged (1000 a page) until a short page. Rows are parsed by `schema` if given. */
  async query<T = Record<string, unknown>>(
    sql: string,
    schema?: z.ZodType<T>,
    opts: { pageSize?: number } = {},
  ): Promise<T[]> {
    const entity = entityOfQuery(sql);
    const size = opts.pageSize ?? MAX_RESULTS;
    const rows: T[] = [];
    for (let page = 0, start = 1; page < MAX_PAGES; page++, start += size) {
      const json = await this.call({
        method: "GET",
        path: "query",
        params: { query: pageOf(sql, start, size) },
        write: false,
        expectedKey: "QueryResponse",
      });
      const found = readQueryRows(json.QueryResponse, entity);
      for (const row of found) rows.push(schema ? parseRow(schema, row, entity) : (row as T));
      if (found.length < size) return rows;
    }
    throw new QboError("qbo_validation", `query returned more than ${MAX_PAGES * size} ${entity} rows; narrow it`, {
      errors: [],
      outcomeUnknown: false,
    });
  }

  async read<T extends SavedEntity = SavedEntity>(entity: string, id: string): Promise<T> {
    const json = await this.call({
      method: "GET",
      path: `${entityPath(entity)}/${encodeURIComponent(id)}`,
      write: false,
      expectedKey: entity,
    });
    return json[entity] as T;
  }

  async create<T extends SavedEntity = SavedEntity>(
    entity: string,
    body: Record<string, unknown>,
    requestId: string,
  ): Promise<T> {
    return this.write<T>(entity, body, { requestid: checkRequestId(requestId) });
  }

  /** A sparse update: only the fields in `body` change. `body` carries Id and SyncToken. */
  async update<T extends SavedEntity = SavedEntity>(
    entity: string,
    body: EntityVersion & Record<string, unknown>,
    requestId: string,
  ): Promise<T> {
    return this.write<T>(entity, { ...body, sparse: true }, { requestid: checkRequestId(requestId) });
  }

  async void<T extends SavedEntity = SavedEntity>(
    entity: string,
    version: EntityVersion,
    requestId: string,
  ): Promise<T> {
    const byUpdate = VOID_BY_UPDATE.has(entity);
    const params: Record<string, string> = byUpdate ? { operation: "update", include: "void" } : { operation: "void" };
    const body = byUpdate
      ? { Id: version.Id, SyncToken: version.SyncToken, sparse: true }
      : { Id: version.Id, SyncToken: version.SyncToken };
    return this.write<T>(entity, body, { ...params, requestid: checkRequestId(requestId) });
  }

  async delete(entity: string, version: EntityVersion, requestId: string): Promise<SavedEntity> {
    return this.write(
      entity,
      { Id: version.Id, SyncToken: version.SyncToken },
      { operation: "delete", requestid: checkRequestId(requestId) },
    );
  }

  private async write<T>(entity: string, body: Record<string, unknown>, params: Record<string, string>): Promise<T> {
    const docNumber = typeof body.DocNumber === "string" ? body.DocNumber : undefined;
    const json = await this.call({
      method: "POST",
      path: entityPath(entity),
      params,
      body,
      write: true,
      expectedKey: entity,
      ...(docNumber ? { docNumber } : {}),
    });
    return json[entity] as T;
  }

  /**
   * Batch: split into requests of ≤ 10 items; returns one result per item, in order. A request
   * that fails as a whole fails each of its items with the same (classified) error.
   */
  async batch(items: readonly BatchItem[], requestId?: string): Promise<BatchResult[]> {
    if (requestId === undefined && items.some((it) => "operation" in it))
      throw new Error("a batch with writes needs a requestid");
    if (requestId !== undefined) checkRequestId(requestId);
    const results: BatchResult[] = [];
    for (const chunk of planBatches(items, requestId)) {
      try {
        const json = await this.call(
          {
            method: "POST",
            path: "batch",
            params: chunk.requestId ? { requestid: chunk.requestId } : {},
            body: batchRequestBody(chunk),
            write: chunk.write,
            expectedKey: "BatchItemResponse",
          },
          { batch: true },
        );
        results.push(...readBatchResponse(chunk, json, { status: 200 }, this.s.now()));
      } catch (e) {
        if (e instanceof QboError) results.push(...chunkFailed(chunk, e));
        else if (e instanceof TillbridgeError)
          results.push(
            ...chunkFailed(chunk, new QboError(e.code, e.detail, { errors: [], outcomeUnknown: false }, e.extra)),
          );
        else throw e;
      }
    }
    return results;
  }

  async companyInfo(): Promise<Record<string, unknown>> {
    const json = await this.call({
      method: "GET",
      path: `companyinfo/${encodeURIComponent(this.realmId)}`,
      write: false,
      expectedKey: "CompanyInfo",
    });
    return json.CompanyInfo as Record<string, unknown>;
  }

  /**
   * Change Data Capture: what changed in these entities since `changedSince` (an ISO instant, at
   * most 30 days back), one read whatever the number of entities. Each entity's rows, deleted ones
   * as `{ status: "Deleted", Id }`; `truncated` when QBO cut an entity short (over 1000 objects).
   */
  async cdc(
    entities: readonly string[],
    changedSince: string,
  ): Promise<{ rows: Map<string, Record<string, unknown>[]>; truncated: boolean }> {
    const json = await this.call({
      method: "GET",
      path: "cdc",
      params: { entities: entities.join(","), changedSince },
      write: false,
      expectedKey: "CDCResponse",
    });
    const rows = new Map<string, Record<string, unknown>[]>();
    let truncated = false;
    const responses = Array.isArray(json.CDCResponse) ? (json.CDCResponse as Record<string, unknown>[]) : [];
    for (const r of responses) {
      for (const q of Array.isArray(r.QueryResponse) ? (r.QueryResponse as Record<string, unknown>[]) : []) {
        for (const entity of entities) {
          const key = Object.keys(q).find((k) => k.toLowerCase() === entity.toLowerCase());
          const found = key ? q[key] : undefined;
          if (Array.isArray(found))
            rows.set(entity, [...(rows.get(entity) ?? []), ...(found as Record<string, unknown>[])]);
        }
        const total = typeof q.totalCount === "number" ? q.totalCount : null;
        const shown = Object.values(q).find(Array.isArray)?.length ?? 0;
        if (total !== null && total > shown) truncated = true;
      }
    }
    return { rows, truncated };
  }

  async preferences(): Promise<Record<string, unknown>> {
    const json = await this.call({ method: "GET", path: "preferences", write: false, expectedKey: "Preferences" });
    return json.Preferences as Record<string, unknown>;
  }
}

/** The rows of a QueryResponse; an empty result has no entity key at all (§3.1). */
function readQueryRows(response: unknown, entity: string): unknown[] {
  if (!response || typeof response !== "object") {
    throw new QboError("qbo_transient", "QueryResponse is not an object", { errors: [], outcomeUnknown: false });
  }
  const key = Object.keys(response).find((k) => k.toLowerCase() === entity.toLowerCase());
  const rows = key ? (response as Record<string, unknown>)[key] : [];
  if (!Array.isArray(rows))
    throw new QboError("qbo_transient", `QueryResponse.${key} is not a list`, { errors: [], outcomeUnknown: false });
  return rows;
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown, entity: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const id = row && typeof row === "object" ? String((row as { Id?: unknown }).Id ?? "?") : "?";
  const where = parsed.error.issues[0];
  throw new QboError(
    "qbo_transient",
    `unexpected ${entity} ${id} from QuickBooks Online (${where?.path.join(".")}: ${where?.message})`,
    { errors: [], outcomeUnknown: false },
  );
}
