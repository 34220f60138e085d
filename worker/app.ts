import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { type ApiError, describeError, type Lang, TillbridgeError } from "../shared/errors";
import { createServices, type Deps, type Services } from "./services";
import { health } from "./routes/health";
import { cors } from "hono/cors";
import { bodyLimit } from "hono/body-limit";
import { LIMITS, rateLimit } from "./lib/rate-limit";
import { MAX_WEBHOOK_BYTES } from "./pos/webhooks";
import { qboApi, qboAuth } from "./routes/qbo";
import { posRoutes } from "./routes/pos";
import { syncRoutes } from "./routes/sync";
import { mappingRoutes } from "./routes/mappings";
import { auditRoutes } from "./routes/audit";
import { backfillRoutes } from "./routes/backfill";
import { opsRoutes, shardOpsRoutes } from "./routes/ops";
import { intuitPages } from "./routes/intuit-pages";
import { qboWebhooks } from "./routes/qbo-webhooks";
import { reportRoutes } from "./routes/reports";
import { revisionRoutes } from "./routes/revisions";
import { setupRoutes } from "./routes/setup";
import { attentionRoutes } from "./routes/attention";
import { digestRoutes } from "./routes/digest";
import { engineHooks } from "./sync/now";

export type AppContext = { Bindings: Env; Variables: { services: Services; lang: Lang } };

export function languageOf(header: string | undefined, query?: string): Lang {
  const pick = (query ?? header ?? "").toLowerCase();
  return pick.startsWith("fr") ? "fr" : "en";
}

export const MAX_API_BODY_BYTES = 1024 * 1024;
export const MAX_AUTH_BODY_BYTES = 16 * 1024;

/** Builds the Worker's Hono app. `deps` replaces outbound fetch, clock and log sink in tests. */
export function createApp(deps: Deps = {}) {
  const app = new Hono<AppContext>();

  app.use("*", async (c, next) => {
    const requestId = c.req.header("x-request-id")?.slice(0, 64) || crypto.randomUUID();
    let waitUntil: Services["waitUntil"] | undefined;
    try {
      const ctx = c.executionCtx;
      waitUntil = (p) => ctx.waitUntil(p);
    } catch {
      // no ExecutionContext (app.request in tests): promises run detached
    }
    c.set("services", createServices(c.env, deps, { requestId, ...(waitUntil ? { waitUntil } : {}) }));
    c.set("lang", languageOf(c.req.header("accept-language"), c.req.query("lang")));
    c.header("x-request-id", requestId);
    await next();
  });

  // Only the extension may call the API from a browser; other origins get no CORS headers.
  const corsPolicy = cors({
    origin: (origin, c) => (c.get("services").env.EXTENSION_ORIGINS.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT"],
    allowHeaders: ["authorization", "content-type", "accept-language", "x-request-id"],
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
  app.use("/api/*", corsPolicy);
  app.use("/auth/pos/start", corsPolicy);
  app.use("/auth/session", corsPolicy);

  // Bodies are read whole before validation: bound them (the largest legitimate one, a status
  // request for 500 objects or a mappings document, is well under 1 MiB).
  const tooLarge = (max: number) =>
    bodyLimit({
      maxSize: max,
      onError: () => {
        throw new TillbridgeError("payload_too_large", `at most ${Math.round(max / 1024)} KiB`);
      },
    });
  app.use("/api/*", tooLarge(MAX_API_BODY_BYTES));
  app.use("/auth/*", tooLarge(MAX_AUTH_BODY_BYTES));
  app.use("/webhooks/*", tooLarge(MAX_WEBHOOK_BYTES));

  // The public routes (no session): fixed-window limits per client address (webhooks: routes/pos.ts).
  app.use("/auth/pos/start", rateLimit(LIMITS.posStart));
  app.use("/auth/pos/callback", rateLimit(LIMITS.posCallback));
  app.use("/auth/session", rateLimit(LIMITS.session));
  app.use("/auth/qbo/callback", rateLimit(LIMITS.qboCallback));

  app.onError((err, c) => {
    const lang = c.get("lang") ?? "en";
    const services = c.get("services") as Services | undefined;
    let error: TillbridgeError;
    if (err instanceof TillbridgeError) error = err;
    else if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? "payload_too_large" : err.status === 401 ? "unauthorized" : "bad_request";
      error = new TillbridgeError(code, err.message);
    } else {
      const ref = services?.requestId ?? "unknown";
      (services?.log ?? console).error("unhandled error", {
        error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
      });
      error = new TillbridgeError("internal", ref);
    }
    if (error.code === "internal") error = new TillbridgeError("internal", services?.requestId ?? error.detail);
    const words = describeError(error.code, error.detail, lang, error.extra.about);
    const body: ApiError = {
      error: {
        code: error.code,
        message: words.message,
        action: words.action,
        ...(error.detail && error.code !== "internal" ? { detail: error.detail } : {}),
        ...(error.extra.fields ? { fields: error.extra.fields } : {}),
        ...(error.extra.about ? { about: error.extra.about } : {}),
        ...(services ? { requestId: services.requestId } : {}),
      },
    };
    if (error.extra.retryAfterSeconds) c.header("retry-after", String(error.extra.retryAfterSeconds));
    return c.json(body, error.status as 400);
  });

  app.notFound((c) => {
    // a webhook URL carries its store's secret: never echoed (nor logged by whoever logs errors)
    const path = new URL(c.req.url).pathname.replace(/^(\/webhooks\/pos\/[^/]*\/)[^/]+/, "$1…");
    throw new TillbridgeError("not_found", `${c.req.method} ${path}`);
  });

  const routes = app
    .route("/health", health)
    .route("/api/qbo", qboApi)
    .route("/auth/qbo", qboAuth)
    .route("/", posRoutes({ ...deps, posHooks: { ...engineHooks, ...deps.posHooks } }))
    .route("/api", syncRoutes)
    .route("/api", mappingRoutes)
    .route("/api", auditRoutes)
    .route("/api", reportRoutes)
    .route("/api", revisionRoutes)
    .route("/api", backfillRoutes)
    .route("/api", attentionRoutes)
    .route("/api", setupRoutes)
    .route("/api", digestRoutes)
    .route("/ops", opsRoutes)
    .route("/ops", shardOpsRoutes(deps))
    .route("/intuit", intuitPages)
    .route("/webhooks", qboWebhooks);
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
