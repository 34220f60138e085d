import { TillbridgeError } from "../../shared/errors";
import type { AppEnv } from "../env";
import type { Logger } from "../lib/log";
import { excerpt, exchange, retryAfterSeconds } from "./http";
import { fillPrefix } from "./oauth";
import { CategoriesPage, DataEnvelope, GiftCardsPage, VersionedPage } from "./schemas";
import { endPosConnection, getPosAccess, REFRESH_MARGIN_MS, type PosAccess, type PosServices } from "./tokens";

/**
 * The Retail POS API for one tenant: bearer token from storage (refreshed on expiry, and once on a
 * 401), version-cursor paging, 429 honoured within a short budget, and every failure classified
 * once into the shared error vocabulary — 5xx/network/timeout/unreadable → pos_transient, 404 →
 * pos_not_found, 429 beyond the budget → pos_throttled (retryAfterSeconds), refused token →
 * pos_needs_reconnect. Requests are counted (for benchmarks and tests).
 */

export interface TokenSource {
  access(rejectedGeneration?: number): Promise<PosAccess>;
  /** The POS refused a token that was just refreshed: the grant is gone. */
  refused(reason: string, generation: number): Promise<void>;
}

/**
 * The stored token, read from D1 once and kept for the client's life (a cron run, a request) while
 * it has more than the refresh margin left: one D1 read per run instead of one per POS request.
 */
export function storedTokens(s: PosServices, tenantId: string): TokenSource {
  let kept: PosAccess | undefined;
  return {
    async access(rejectedGeneration) {
      const fresh = kept?.accessExpiresAt && kept.accessExpiresAt.getTime() - s.now().getTime() > REFRESH_MARGIN_MS;
      if (rejectedGeneration === undefined && kept && fresh) return kept;
      kept = await getPosAccess(s, tenantId, rejectedGeneration === undefined ? {} : { rejectedGeneration });
      return kept;
    },
    refused: async (reason, generation) => void (await endPosConnection(s, tenantId, reason, generation)),
  };
}

/** A token not (yet) stored: the OAuth callback reads the retailer with it before saving anything. */
export function fixedToken(domainPrefix: string, accessToken: string): TokenSource {
  return {
    access: async () => ({ accessToken, domainPrefix, generation: 0 }),
    refused: async () => {},
  };
}

export interface PosClientOptions {
  env: Pick<AppEnv, "POS_API_BASE_TEMPLATE">;
  fetch: typeof fetch;
  now: () => Date;
  log?: Logger;
  tokens: TokenSource;
  timeoutMs?: number;
  /** How long one call may wait in total for 429s before giving up with pos_throttled */
  throttleBudgetMs?: number;
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
}

type Query = Record<string, string | number | boolean | undefined>;

export class PosClient {
  /** Requests sent (each attempt counts). */
  requests = 0;
  private readonly pageSize: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: PosClientOptions) {
    this.pageSize = o.pageSize ?? 200;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  static forTenant(
    s: PosServices,
    tenantId: string,
    opts: Partial<Omit<PosClientOptions, "env" | "fetch" | "now" | "tokens">> = {},
  ): PosClient {
    return new PosClient({
      env: s.env,
      fetch: s.fetch,
      now: s.now,
      log: s.log,
      tokens: storedTokens(s, tenantId),
      ...opts,
    });
  }

  async get(path: string, query: Query = {}): Promise<unknown> {
    return this.call("GET", path, query);
  }

  async send(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    return this.call(method, path, {}, body);
  }

  /** GET a single object (`{data: {...}}`, or the object itself). */
  async getOne(path: string, query: Query = {}): Promise<unknown> {
    const body = await this.get(path, query);
    const env = DataEnvelope.safeParse(body);
    return env.success ? env.data.data : body;
  }

  /** Version-cursor pages from `after`: stops on an empty page or a null version.max. */
  async *pages(
    path: string,
    opts: { after?: string; query?: Query; pageSize?: number } = {},
  ): AsyncGenerator<{ items: unknown[]; max: string }> {
    let cursor = BigInt(opts.after ?? "0");
    for (;;) {
      const body = await this.get(path, {
        ...opts.query,
        after: cursor.toString(),
        page_size: opts.pageSize ?? this.pageSize,
      });
      const page = VersionedPage.safeParse(body);
      if (!page.success) throw new TillbridgeError("pos_transient", `GET ${path}: not a page of results`);
      const max = page.data.version?.max;
      if (!page.data.data.length || max === null || max === undefined) return;
      const next = BigInt(max);
      if (next <= cursor)
        throw new TillbridgeError("pos_transient", `GET ${path}: the version cursor did not advance past ${cursor}`);
      yield { items: page.data.data, max: next.toString() };
      cursor = next;
    }
  }

  /** Every object of a version-cursored collection. */
  async all(path: string, query: Query = {}): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const page of this.pages(path, { query })) out.push(...page.items);
    return out;
  }

  /** GET /product_categories: paged by category id (`after`), with page_info. */
  async categories(): Promise<unknown[]> {
    const out: unknown[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const body = CategoriesPage.safeParse(
        await this.get("/product_categories", { page_size: 1000, ...(after ? { after } : {}) }),
      );
      if (!body.success)
        throw new TillbridgeError("pos_transient", "GET /product_categories: not a page of categories");
      const d = body.data.data;
      const items = Array.isArray(d) ? d : (d?.categories ?? []);
      out.push(...items);
      const next = body.data.page_info?.last_seen;
      if (!items.length || !body.data.page_info?.has_next || !next || next === after) return out;
      after = next;
    }
    return out;
  }

  /** GET /gift_cards: newest first, paged with `before=<last id>`. */
  async giftCards(query: Query = {}): Promise<unknown[]> {
    const out: unknown[] = [];
    const size = 1000;
    let before: string | undefined;
    for (let guard = 0; guard < 10_000; guard++) {
      const page = GiftCardsPage.safeParse(
        await this.get("/gift_cards", { ...query, page_size: size, ...(before ? { before } : {}) }),
      );
      if (!page.success) throw new TillbridgeError("pos_transient", "GET /gift_cards: not a page of gift cards");
      out.push(...page.data.data);
      const last = page.data.data.at(-1) as { id?: unknown } | undefined;
      const lastId = typeof last?.id === "string" || typeof last?.id === "number" ? String(last.id) : undefined;
      if (page.data.data.length < size || !lastId || lastId === before) return out;
      before = lastId;
    }
    return out;
  }

  private async call(method: string, path: string, query: Query, body?: unknown): Promise<unknown> {
    let rejected: number | undefined;
    let waited = 0;
    const budget = this.o.throttleBudgetMs ?? 5_000;
    const what = `${method} ${path}`;
    for (;;) {
      const access = await this.o.tokens.access(rejected);
      const url = new URL(fillPrefix(this.o.env.POS_API_BASE_TEMPLATE, access.domainPrefix).replace(/\/+$/, "") + path);
      for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
      const headers: Record<string, string> = {
        authorization: `Bearer ${access.accessToken}`,
        accept: "application/json",
      };
      if (body !== undefined) headers["content-type"] = "application/json";
      this.requests++;
      const answer = await exchange(
        this.o,
        url.toString(),
        { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
        this.o.timeoutMs,
      );

      if (answer.status === 401) {
        if (rejected !== undefined) {
          const reason = "the Retail POS refused a freshly refreshed token";
          await this.o.tokens.refused(reason, access.generation);
          throw new TillbridgeError("pos_needs_reconnect", reason);
        }
        rejected = access.generation;
        continue;
      }
      if (answer.status === 429) {
        const wait = retryAfterSeconds(answer.headers.get("retry-after"), this.o.now()) ?? 60;
        if (waited + wait * 1000 > budget) {
          this.o.log?.warn("pos throttled", { path, retryAfterSeconds: wait });
          throw new TillbridgeError("pos_throttled", what, { retryAfterSeconds: Math.max(1, wait) });
        }
        waited += wait * 1000;
        await this.sleep(wait * 1000);
        continue;
      }
      if (answer.status === 404) throw new TillbridgeError("pos_not_found", what);
      if (answer.status === 403)
        throw new TillbridgeError(
          "pos_needs_reconnect",
          `${what}: access refused (HTTP 403; the connection may lack a scope)`,
        );
      if (answer.status < 200 || answer.status >= 300) {
        throw new TillbridgeError(
          "pos_transient",
          `${what}: HTTP ${answer.status} ${excerpt(answer.text, 120)}`.trim(),
        );
      }
      if (!answer.text.trim()) return null;
      try {
        return JSON.parse(answer.text);
      } catch {
        throw new TillbridgeError("pos_transient", `${what}: the answer is not JSON`);
      }
    }
  }
}
