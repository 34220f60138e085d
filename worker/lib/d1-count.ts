/**
 * D1 statements spent through a binding, counted: D1 allows 1,000 queries per Worker invocation on
 * the paid plan (50 on the free one; developers.cloudflare.com/d1/platform/limits), and work that
 * loops (a backfill step) must stop before it gets there. Every statement counts once, a batch counts
 * each of its statements (the conservative reading of the limit) and `exec` counts one. The wrapper
 * forwards everything else untouched; statements prepared through it may go into its `batch` only.
 */
export interface CountedD1 {
  db: D1Database;
  /** Statements sent through `db` so far */
  statements(): number;
}

export function countStatements(inner: D1Database): CountedD1 {
  let n = 0;
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      first: (column?: string) => {
        n++;
        return column === undefined ? stmt.first() : stmt.first(column);
      },
      all: () => {
        n++;
        return stmt.all();
      },
      run: () => {
        n++;
        return stmt.run();
      },
      raw: (opts?: { columnNames?: boolean }) => {
        n++;
        return stmt.raw(opts as { columnNames: true });
      },
    } as unknown as D1PreparedStatement;
    real.set(wrapped, stmt);
    return wrapped;
  };
  const db = {
    prepare: (sql: string) => wrap(inner.prepare(sql)),
    batch: (stmts: D1PreparedStatement[]) => {
      n += stmts.length;
      return inner.batch(stmts.map((s) => real.get(s) ?? s));
    },
    exec: (sql: string) => {
      n++;
      return inner.exec(sql);
    },
    withSession: (constraint?: string) => inner.withSession(constraint),
    dump: () => inner.dump(),
  } as unknown as D1Database;
  return { db, statements: () => n };
}
