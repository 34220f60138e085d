declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    QBO_CLIENT_ID: string;
    QBO_CLIENT_SECRET: string;
    POS_CLIENT_ID: string;
    POS_CLIENT_SECRET: string;
    TOKEN_KEYS: string;
    QBO_WEBHOOK_VERIFIER: string;
    /** A second D1 database (vitest.worker.config.ts), a shard: emptied and migrated before each file */
    DB_SHARD_1: D1Database;
    /** "0" in the tests: new tenants stay at home unless a test says otherwise */
    SHARD_PLACEMENT: string;
  }
}
