/**
 * Counts and times what a Worker invocation spends outside its own code: D1 statements (and round
 * trips: a batch is one), KV operations, and requests to the in-process sandboxes. Cloudflare bills
 * CPU time, not time spent waiting on I/O, so the Worker's own CPU is estimated as the wall time of
 * a run minus the time during which at least one such wait was pending (`waitMs`, the union: a
 * Promise.all of three reads waits once). The sandboxes run in this isolate and D1 in the same
 * process, so their work is on this machine's cores but not on the Worker's bill.
 */
export interface Meter {
  d1Statements: number;
  d1RoundTrips: number;
  d1Ms: number;
  /** Rows written and read as D1 reports them (meta.rows_written / rows_read: what D1 bills) */
  d1RowsWritten: number;
  d1RowsRead: number;
  kvOps: number;
  kvMs: number;
  sandboxMs: number;
  qboRequests: number;
  posRequests: number;
  /** Wall time with at least one wait pending (D1, KV, sandbox, simulated sleep) */
  waitMs: number;
}

/** Statements by verb and table ("INSERT sync_items"), to show where the D1 queries go. */
export const sqlCounts = new Map<string, number>();
/** Wall ms of single statements (not batches) by the same key */
export const sqlMs = new Map<string, number>();

export const newMeter = (): Meter => ({
  d1Statements: 0,
  d1RoundTrips: 0,
  d1Ms: 0,
  d1RowsWritten: 0,
  d1RowsRead: 0,
  kvOps: 0,
  kvMs: 0,
  sandboxMs: 0,
  qboRequests: 0,
  posRequests: 0,
  waitMs: 0,
});

export function snapshot(m: Meter): Meter {
  return { ...m };
}

export function since(before: Meter, after: Meter): Meter {
  const out = newMeter();
  for (const k of Object.keys(out) as (keyof Meter)[]) out[k] = after[k] - before[k];
  return out;
}

let inflight = 0;
let waitingSince = 0;
let current: Meter | undefined;

/** Marks a wait as begun; the returned function ends it. Used for sleeps by clock.ts too. */
export function beginWait(): () => void {
  if (inflight++ === 0) waitingSince = performance.now();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--inflight === 0 && current) current.waitMs += performance.now() - waitingSince;
  };
}

async function timed<T>(work: () => Promise<T>, add: (ms: number) => void): Promise<T> {
  const t = performance.now();
  const end = beginWait();
  try {
    return await work();
  } finally {
    end();
    add(performance.now() - t);
  }
}

function keyOf(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "?";
  const tables = [
    ...new Set(
      [...sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)/gi)]
        .map((m) => m[1]!)
        .filter((t) => !/^(json_each|SET)$/i.test(t)),
    ),
  ];
  return `${verb} ${tables.join("+") || "?"}`;
}

function tally(sql: string): void {
  const key = keyOf(sql);
  sqlCounts.set(key, (sqlCounts.get(key) ?? 0) + 1);
}

const real = new WeakMap<object, D1PreparedStatement>();
const sqlOf = new WeakMap<object, string>();

function statement(m: Meter, stmt: D1PreparedStatement, sql: string): D1PreparedStatement {
  const one = <T>(work: () => Promise<T>) => {
    tally(sql);
    m.d1Statements++;
    m.d1RoundTrips++;
    return timed(work, (ms) => {
      m.d1Ms += ms;
      sqlMs.set(keyOf(sql), (sqlMs.get(keyOf(sql)) ?? 0) + ms);
    });
  };
  const counted = <R extends D1Result>(r: R): R => {
    m.d1RowsWritten += r.meta?.rows_written ?? 0;
    m.d1RowsRead += r.meta?.rows_read ?? 0;
    return r;
  };
  const wrapped = {
    bind: (...values: unknown[]) => statement(m, stmt.bind(...values), sql),
    // through all(), whose meta says how many rows the statement wrote (first() has no meta)
    first: (column?: string) =>
      one(async () => {
        const row = counted(await stmt.all<Record<string, unknown>>()).results[0] ?? null;
        return column === undefined || row === null ? row : (row[column] ?? null);
      }),
    all: () => one(async () => counted(await stmt.all())),
    run: () => one(async () => counted(await stmt.run())),
    raw: (opts?: { columnNames?: boolean }) => one(() => stmt.raw(opts as { columnNames: true })),
  } as unknown as D1PreparedStatement;
  real.set(wrapped, stmt);
  sqlOf.set(wrapped, sql);
  return wrapped;
}

export function meteredDb(db: D1Database, m: Meter): D1Database {
  current = m;
  return {
    prepare: (sql: string) => statement(m, db.prepare(sql), sql),
    batch: (stmts: D1PreparedStatement[]) => {
      for (const st of stmts) tally(sqlOf.get(st) ?? "?");
      m.d1Statements += stmts.length;
      m.d1RoundTrips++;
      return timed(
        async () => {
          const results = await db.batch(stmts.map((s) => real.get(s) ?? s));
          for (const r of results) {
            m.d1RowsWritten += r.meta?.rows_written ?? 0;
            m.d1RowsRead += r.meta?.rows_read ?? 0;
          }
          return results;
        },
        (ms) => (m.d1Ms += ms),
      );
    },
    exec: (sql: string) => {
      m.d1Statements++;
      m.d1RoundTrips++;
      return timed(
        () => db.exec(sql),
        (ms) => (m.d1Ms += ms),
      );
    },
    withSession: () => {
      throw new Error("the bench meter does not wrap D1 sessions");
    },
    dump: () => db.dump(),
  } as unknown as D1Database;
}

export function meteredKv(kv: KVNamespace, m: Meter): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        m.kvOps++;
        return timed(
          () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
          (ms) => (m.kvMs += ms),
        );
      };
    },
  });
}

/** Real time (performance.now) of the first QBO write since `marks.reset()`: where a run's looking (discovery, the drift check's reads) ends and posting begins. */
export const marks = {
  firstQboReal: undefined as number | undefined,
  reset() {
    marks.firstQboReal = undefined;
  },
};

/** Routes the Worker's outbound fetch to the sandboxes, timing and counting each request. */
export function meteredRoute(
  m: Meter,
  qbo: (req: Request) => Promise<Response>,
  pos: (req: Request) => Promise<Response>,
): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const { port } = new URL(req.url);
    if (port === "8788") {
      m.qboRequests++;
      // queries go as POST too, alone or in a batch (the drift check reads QBO while the run is still looking)
      if (marks.firstQboReal === undefined && req.method === "POST") {
        const path = new URL(req.url).pathname;
        const reads =
          path.endsWith("/query") || (path.endsWith("/batch") && (await req.clone().text()).includes('"Query"'));
        if (!reads) marks.firstQboReal = performance.now();
      }
      return timed(
        () => qbo(req),
        (ms) => (m.sandboxMs += ms),
      );
    }
    if (port === "8789") {
      m.posRequests++;
      return timed(
        () => pos(req),
        (ms) => (m.sandboxMs += ms),
      );
    }
    throw new TypeError(`no route to ${req.url} in the bench stack`);
  }) as typeof fetch;
}
