#!/usr/bin/env node
// `npm run load`: a loopback load test of the Worker under `wrangler dev` with the sandboxes. Many
// merchants close registers at once while each one's extension polls the status endpoint; then it
// checks what QuickBooks Online holds: every closure exactly once (nothing lost, nothing posted
// twice) and reports what was held back and why. Bounded in count and time; prints a report, exits 1
// when a closure was lost or posted twice. A smaller in-process version runs in `npm test`
// (test/worker/hardening/load.test.ts); docs/SECURITY.md says why both exist.
//
//   npm run load -- [--tenants 12] [--closures 20] [--seconds 60] [--json report.json] [--log stack.log]
import { randomBytes, randomUUID, createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const TENANTS = Math.min(20, Math.max(1, Number(opt("tenants", 12))));
const CLOSURES = Math.min(50, Math.max(1, Number(opt("closures", 20))));
const SECONDS = Math.min(120, Math.max(10, Number(opt("seconds", 60))));
/** How often each merchant's extension asks for its closures' states (a page that follows moving jobs) */
const POLL_MS = 1000;
/** The cron runs every minute in production; here a little more often, so retries fit in the run */
const CRON_EVERY_MS = 15_000;
const EXTENSION = "chrome-extension://mhbmaaggnhofaebpkcaglmcoecjgbegk";
const RETURN_TO = `${EXTENSION}/connected.html`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const pct = (xs, p) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : 0;

async function call(method, url, { body, headers = {}, redirect = "manual", form } = {}) {
  const init = { method, redirect, headers: { ...headers } };
  if (form) {
    init.body = new URLSearchParams(form).toString();
    init.headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["content-type"] = "application/json";
  }
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, location: res.headers.get("location") };
}
const ok = (r, what) => {
  if (r.status >= 400) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
};

/**
 * The POS sandbox's demo store, cloned into `count` stores `load-01`… with no trading history (only
 * the catalogue, registers and payment types), so each merchant's first look at its POS is quick.
 */
export function cloneStores(state, count) {
  const source = state.stores.demo;
  const out = structuredClone(state);
  for (let i = 1; i <= count; i++) {
    const prefix = `load-${String(i).padStart(2, "0")}`;
    const store = structuredClone(source);
    store.prefix = prefix;
    store.retailer = {
      ...store.retailer,
      id: randomUUID(),
      domainPrefix: prefix,
      name: `Load store ${String(i).padStart(2, "0")}`,
    };
    Object.assign(store, { sales: {}, giftCards: {}, storeCredits: {}, webhooks: {} });
    // its own random stream: new sales, closures and payments get ids no other store has
    const [a, b, c, d] = randomBytes(16).reduce(
      (words, byte, k) => {
        words[k >> 2] = ((words[k >> 2] << 8) | byte) >>> 0;
        return words;
      },
      [0, 0, 0, 0],
    );
    store.rng = { a, b, c, d };
    store.trading = { ...store.trading, scheduled: [] };
    out.stores[prefix] = store;
  }
  return out;
}

/** The QBO sandbox's Canadian company, cloned into `count` companies with their own realm ids. */
export function cloneRealms(state, count) {
  const source =
    Object.values(state.realms).find((r) => r.companyInfo?.Country === "CA") ?? Object.values(state.realms)[0];
  const out = structuredClone(state);
  const realms = [];
  for (let i = 1; i <= count; i++) {
    const realmId = `93414551309${String(i).padStart(5, "0")}`;
    const realm = structuredClone(source);
    realm.realmId = realmId;
    realm.companyInfo = { ...realm.companyInfo, CompanyName: `Load company ${String(i).padStart(2, "0")}` };
    realm.requestIds = {};
    out.realms[realmId] = realm;
    realms.push(realmId);
  }
  return { state: out, realms };
}

/** One merchant: the POS connect (→ session), the QBO connect to its own company, standard mappings. */
async function connectTenant(urls, prefix, realmId) {
  const nonce = randomBytes(24).toString("base64url");
  const start = ok(
    await call("POST", `${urls.worker}/auth/pos/start`, { body: { returnTo: RETURN_TO, nonceHash: sha256(nonce) } }),
    "POS start",
  );
  const authorize = new URL(start.json.authorizeUrl);
  const q = Object.fromEntries(authorize.searchParams);
  const consent = await call("POST", `${urls.pos}/connect`, {
    form: {
      client_id: q.client_id,
      redirect_uri: q.redirect_uri,
      state: q.state,
      domain_prefix: prefix,
      decision: "approve",
    },
  });
  if (!consent.location) throw new Error(`POS consent for ${prefix}: ${consent.status} ${consent.text.slice(0, 200)}`);
  const callback = await call("GET", consent.location);
  const code = new URL(callback.location ?? "x:").hash.replace(/^#code=/, "");
  if (!code || code.startsWith("#"))
    throw new Error(
      `POS callback for ${prefix}: ${callback.status} ${callback.location ?? callback.text.slice(0, 200)}`,
    );
  const session = ok(await call("POST", `${urls.worker}/auth/session`, { body: { code, nonce } }), "session").json
    .session;
  const auth = { authorization: `Bearer ${session}` };

  const qStart = ok(
    await call("POST", `${urls.worker}/api/qbo/connect`, { headers: auth, body: { returnTo: RETURN_TO } }),
    "QBO connect",
  );
  const qa = Object.fromEntries(new URL(qStart.json.authorizeUrl).searchParams);
  const qConsent = await call("POST", `${urls.qbo}/connect/oauth2/consent`, {
    form: {
      client_id: qa.client_id,
      redirect_uri: qa.redirect_uri,
      scope: qa.scope,
      state: qa.state,
      realmId,
      decision: "authorize",
    },
  });
  const qDone = await call("GET", qConsent.location);
  if (!qDone.location?.endsWith("#qbo=connected"))
    throw new Error(`QBO callback for ${prefix}: ${qDone.status} ${qDone.location ?? qDone.text.slice(0, 200)}`);
  ok(await call("POST", `${urls.worker}/api/mappings/create-standard`, { headers: auth }), "create-standard");
  return { prefix, realmId, session };
}

/** Index of the QBO documents carrying each closure's key: closureId → part → count. */
async function booked(urls, tenant) {
  const byClosure = new Map();
  for (const entity of ["SalesReceipt", "RefundReceipt", "JournalEntry"]) {
    const docs = ok(
      await call("GET", `${urls.qbo}/_sandbox/${tenant.realmId}/entities/${entity}`),
      "QBO entities",
    ).json;
    for (const d of docs) {
      const m = /key tb1\|([^|]+)\|closure\|([^|]+)\|1 \| part ([^|]+?)(?: \||$)/.exec(d.PrivateNote ?? "");
      if (!m || m[1] !== tenant.prefix) continue;
      const parts = byClosure.get(m[2]) ?? {};
      parts[m[3]] = (parts[m[3]] ?? 0) + 1;
      byClosure.set(m[2], parts);
    }
  }
  return byClosure;
}

async function main() {
  const { startStack } = await import("./stack.mjs");
  const started = Date.now();
  process.stdout.write(`▶ starting the stack (sandboxes + wrangler dev) … `);
  const logFile = opt("log", null);
  const stack = await startStack({ ports: "free", watch: false, ...(logFile ? { logFile } : {}) });
  const urls = stack.urls;
  // interrupted (Ctrl-C, a CI timeout): take the sandboxes and wrangler down too
  for (const signal of ["SIGINT", "SIGTERM"])
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  process.stdout.write(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  let exit = 1;
  try {
    const pos = ok(await call("GET", `${urls.pos}/_sandbox/state`), "POS state").json;
    ok(await call("PUT", `${urls.pos}/_sandbox/state`, { body: cloneStores(pos, TENANTS) }), "POS import");
    const qbo = cloneRealms(ok(await call("GET", `${urls.qbo}/_sandbox/state`), "QBO state").json, TENANTS);
    ok(await call("PUT", `${urls.qbo}/_sandbox/state`, { body: qbo.state }), "QBO import");

    const connectStarted = Date.now();
    // four merchants connect at a time (as four browsers would); the auth routes' limits allow it
    const tenants = [];
    for (let i = 0; i < TENANTS; i += 4) {
      const batch = Array.from({ length: Math.min(4, TENANTS - i) }, (_, k) =>
        connectTenant(urls, `load-${String(i + k + 1).padStart(2, "0")}`, qbo.realms[i + k]),
      );
      tenants.push(...(await Promise.all(batch)));
    }
    console.log(
      `▶ ${TENANTS} merchants connected (POS + QBO + mappings) in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s`,
    );

    const stores = ok(await call("GET", `${urls.pos}/_sandbox/stores`), "stores").json;
    const records = ok(await call("GET", `${urls.pos}/_sandbox/state`), "POS state").json.stores;
    for (const t of tenants) {
      const store = stores.find((s) => s.prefix === t.prefix);
      t.registers = store.registers.map((r) => r.id);
      t.products = Object.values(records[t.prefix].products)
        .filter((p) => p.kind === "product")
        .map((p) => p.id);
      t.closures = [];
    }

    // ---- the load: every merchant closes registers at once; each one's extension polls ----------
    const loadStarted = Date.now();
    const deadline = loadStarted + SECONDS * 1000;
    const latencies = [];
    const pollErrors = {};
    const errorSamples = [];
    /** closures seen waiting (throttled, failed, blocked) at some poll, with why: what the load held back */
    const heldOnTheWay = new Map();
    let trading = true;
    const control = (path, body) =>
      call("POST", `${urls.pos}/_sandbox${path}`, { body: body ?? {} }).then((r) => ok(r, path).json);

    async function tradeRegister(t, registerId, count, offset) {
      for (let k = 0; k < count && Date.now() < deadline; k++) {
        const seq = await control(`/${t.prefix}/registers/${registerId}/open`);
        const lines = [{ productId: t.products[(offset + k) % t.products.length], quantity: 1 + (k % 3) }];
        await control(`/${t.prefix}/sales`, { registerId, lines });
        if (k % 2 === 0)
          await control(`/${t.prefix}/sales`, {
            registerId,
            lines: [{ productId: t.products[(offset + k + 7) % t.products.length] }],
          });
        await control(`/${t.prefix}/registers/${registerId}/close`);
        t.closures.push(seq.id);
      }
    }
    async function poll(t) {
      while (trading || Date.now() < deadline) {
        if (t.closures.length) {
          const at = Date.now();
          const r = await call("POST", `${urls.worker}/api/status`, {
            headers: { authorization: `Bearer ${t.session}` },
            body: { objects: t.closures.slice(-500).map((posId) => ({ kind: "closure", posId })) },
          }).catch((e) => ({ status: 0, text: String(e) }));
          latencies.push(Date.now() - at);
          if (r.status !== 200) {
            pollErrors[r.status] = (pollErrors[r.status] ?? 0) + 1;
            if (errorSamples.length < 3) errorSamples.push(`${r.status} ${String(r.text).slice(0, 200)}`);
          } else {
            t.states = Object.fromEntries(r.json.objects.map((o) => [o.posId, o]));
            for (const o of r.json.objects)
              if (["failed", "blocked", "rejected"].includes(o.state))
                heldOnTheWay.set(`${t.prefix}/${o.posId}`, o.reason?.code ?? o.state);
          }
          if (!trading && t.closures.every((id) => ["posted", "not_applicable"].includes(t.states?.[id]?.state)))
            return;
        }
        await sleep(POLL_MS);
      }
    }
    async function cron() {
      while (Date.now() < deadline) {
        await sleep(CRON_EVERY_MS);
        await stack.runCron({ timeoutMs: 20_000 }).catch(() => undefined);
        if (
          !trading &&
          tenants.every((t) => t.closures.every((id) => ["posted", "not_applicable"].includes(t.states?.[id]?.state)))
        )
          return;
      }
    }

    console.log(
      `▶ load: ${TENANTS} merchants × ${CLOSURES} closures, status polled every ${POLL_MS} ms per merchant, at most ${SECONDS} s`,
    );
    const polling = Promise.all(tenants.map(poll));
    const crons = cron();
    await Promise.all(
      tenants.map((t, i) => {
        const per = t.registers.map(
          (_, r) => Math.floor(CLOSURES / t.registers.length) + (r < CLOSURES % t.registers.length ? 1 : 0),
        );
        return Promise.all(t.registers.map((reg, r) => tradeRegister(t, reg, per[r], i * 3 + r)));
      }),
    );
    const tradedIn = (Date.now() - loadStarted) / 1000;
    await call("POST", `${urls.pos}/_sandbox/webhooks/flush`).catch(() => undefined);
    trading = false;
    await Promise.all([polling, crons]);
    const elapsed = (Date.now() - loadStarted) / 1000;

    // ---- what QBO holds, and what Tillbridge says ------------------------------------------------
    const states = {};
    const held = {};
    let lost = 0;
    let twice = 0;
    let posted = 0;
    const problems = [];
    for (const t of tenants) {
      const r = ok(
        await call("POST", `${urls.worker}/api/status`, {
          headers: { authorization: `Bearer ${t.session}` },
          body: { objects: t.closures.map((posId) => ({ kind: "closure", posId })) },
        }),
        "final status",
      );
      const books = await booked(urls, t);
      for (const o of r.json.objects) {
        states[o.state] = (states[o.state] ?? 0) + 1;
        const parts = books.get(o.posId) ?? {};
        const dup = Object.entries(parts).filter(([, n]) => n > 1);
        if (dup.length) {
          twice++;
          problems.push(
            `${t.prefix} closure ${o.posId}: posted twice (${dup.map(([p, n]) => `${p}×${n}`).join(", ")})`,
          );
        }
        if (o.state === "unknown") {
          lost++;
          problems.push(`${t.prefix} closure ${o.posId}: unknown to Tillbridge`);
        } else if (o.state === "posted") {
          posted++;
          const want = o.docs
            .map((d) => d.part)
            .sort()
            .join(",");
          if (Object.keys(parts).sort().join(",") !== want)
            problems.push(
              `${t.prefix} closure ${o.posId}: QBO holds parts [${Object.keys(parts).sort()}], the badge says [${want}]`,
            );
        } else {
          const why = o.reason?.code ?? o.state;
          held[why] = (held[why] ?? 0) + 1;
        }
      }
    }
    const deliveries = ok(await call("GET", `${urls.pos}/_sandbox/webhooks/deliveries`), "deliveries").json.filter(
      (d) => d.prefix.startsWith("load-"),
    );
    const byStatus = {};
    for (const d of deliveries)
      byStatus[d.status ?? d.error ?? "none"] = (byStatus[d.status ?? d.error ?? "none"] ?? 0) + 1;
    const total = tenants.reduce((n, t) => n + t.closures.length, 0);
    const report = {
      tenants: TENANTS,
      closures: total,
      tradedInSeconds: Number(tradedIn.toFixed(1)),
      elapsedSeconds: Number(elapsed.toFixed(1)),
      posted,
      postedPerSecond: Number((posted / elapsed).toFixed(2)),
      states,
      held,
      heldOnTheWay: [...heldOnTheWay.values()].reduce((acc, code) => {
        acc[code] = (acc[code] ?? 0) + 1;
        return acc;
      }, {}),
      lost,
      postedTwice: twice,
      statusPolls: latencies.length,
      statusLatencyMs: { p50: pct(latencies, 50), p95: pct(latencies, 95), max: Math.max(0, ...latencies) },
      statusErrors: pollErrors,
      statusErrorSamples: errorSamples,
      webhookDeliveries: byStatus,
      problems,
    };
    console.log("\n=== Tillbridge loopback load report ===");
    console.log(
      `merchants ${report.tenants}, closures ${report.closures} (traded in ${report.tradedInSeconds} s), run ${report.elapsedSeconds} s`,
    );
    console.log(`posted ${posted}/${total} (${report.postedPerSecond}/s); states ${JSON.stringify(states)}`);
    console.log(
      `held back at the end: ${Object.keys(held).length ? JSON.stringify(held) : "nothing"}; held on the way (closures seen waiting at a poll, by reason): ${JSON.stringify(report.heldOnTheWay)}`,
    );
    console.log(
      `status polls ${report.statusPolls}: p50 ${report.statusLatencyMs.p50} ms, p95 ${report.statusLatencyMs.p95} ms, max ${report.statusLatencyMs.max} ms; errors ${JSON.stringify(pollErrors)}`,
    );
    for (const e of errorSamples) console.log(`  status error: ${e}`);
    console.log(`webhook deliveries by answer: ${JSON.stringify(byStatus)}`);
    console.log(`lost ${lost}, posted twice ${twice}`);
    for (const p of problems.slice(0, 20)) console.log(`  ✖ ${p}`);
    const out = opt("json", null);
    if (out) writeFileSync(out, JSON.stringify(report, null, 2));
    exit = lost === 0 && twice === 0 && problems.length === 0 ? 0 : 1;
    console.log(
      exit === 0 ? "✔ nothing lost, nothing posted twice" : "✖ the books do not hold every closure exactly once",
    );
  } catch (e) {
    console.error(`✖ ${e instanceof Error ? e.stack : e}`);
    console.error(stack.logs.slice(-30).join("\n"));
  } finally {
    await stack.stop();
  }
  process.exit(exit);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
