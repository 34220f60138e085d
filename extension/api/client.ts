import type { z } from "zod";
import { AUDIT_CSV_PATH, Routes, type RouteName, type RouteSpec } from "../../shared/api";
import { ApiError, describeError, type Lang } from "../../shared/errors";
import type { ErrorBody } from "../messaging";

/**
 * The typed Worker client, built from the route table in shared/api.ts: the request body is parsed
 * with the route's request schema before it leaves, the answer with its response schema when it
 * comes back, and every failure is the shared ApiError body. Only the background uses it.
 */

type AnyRoute = RouteSpec<z.ZodType | null, z.ZodType>;
export type RouteResponse<N extends RouteName> = z.infer<(typeof Routes)[N]["response"]>;
export type RouteRequest<N extends RouteName> = (typeof Routes)[N]["request"] extends z.ZodType
  ? z.input<(typeof Routes)[N]["request"]>
  : undefined;

export interface CallInput<N extends RouteName> {
  body?: RouteRequest<N>;
  /** Path parameters, e.g. { id } for /api/closures/:id/counted */
  params?: Record<string, string> | undefined;
  query?: Record<string, string> | undefined;
}

export class WorkerError extends Error {
  override name = "WorkerError";
  constructor(
    readonly body: ErrorBody,
    readonly status: number,
  ) {
    super(`${body.code}: ${body.message}`);
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** The session token, or null when not connected (session routes then fail as `unauthorized`) */
  session: () => Promise<string | null>;
  lang?: () => Lang;
  fetch?: typeof fetch | undefined;
}

function errorBody(code: ErrorBody["code"], detail: string | undefined, lang: Lang): ErrorBody {
  const words = describeError(code, detail, lang);
  return { code, message: words.message, action: words.action, ...(detail ? { detail } : {}) };
}

export function urlOf(
  baseUrl: string,
  spec: { path: string },
  params: Record<string, string> = {},
  query: Record<string, string> = {},
): string {
  const path = spec.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new WorkerError(errorBody("bad_request", `missing path parameter ${name}`, "en"), 0);
    return encodeURIComponent(value);
  });
  const url = new URL(path, baseUrl);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

export function createWorkerClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const lang = () => opts.lang?.() ?? "en";

  async function send(
    spec: { method: string; path: string; session: boolean },
    input: { body?: unknown; params?: Record<string, string> | undefined; query?: Record<string, string> | undefined },
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept, "accept-language": lang() };
    if (spec.session) {
      const token = await opts.session();
      if (!token) throw new WorkerError(errorBody("unauthorized", undefined, lang()), 401);
      headers.authorization = `Bearer ${token}`;
    }
    let body: string | undefined;
    if (input.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(input.body);
    }
    const url = urlOf(opts.baseUrl, spec, input.params, input.query);
    let res: Response;
    try {
      res = await doFetch(url, { method: spec.method, headers, ...(body === undefined ? {} : { body }) });
    } catch (e) {
      // The Worker could not be reached at all: transient, like a 5xx.
      throw new WorkerError(errorBody("internal", `network: ${e instanceof Error ? e.message : String(e)}`, lang()), 0);
    }
    if (!res.ok) throw await failure(res);
    return res;
  }

  async function failure(res: Response): Promise<WorkerError> {
    const text = await res.text().catch(() => "");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ApiError.safeParse(json);
    if (parsed.success) return new WorkerError(parsed.data.error, res.status);
    const code =
      res.status === 401
        ? "unauthorized"
        : res.status === 404
          ? "not_found"
          : res.status === 429
            ? "rate_limited"
            : "internal";
    return new WorkerError(errorBody(code, `HTTP ${res.status}`, lang()), res.status);
  }

  return {
    /** Call one route: the body is checked against its request schema, the answer against its response schema. */
    async call<N extends RouteName>(name: N, input: CallInput<N> = {}): Promise<RouteResponse<N>> {
      const spec = Routes[name] as AnyRoute;
      let body: unknown;
      if (spec.request) {
        const req = spec.request.safeParse(input.body);
        if (!req.success)
          throw new WorkerError(
            errorBody(
              "bad_request",
              req.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
              lang(),
            ),
            0,
          );
        body = req.data;
      }
      const res = await send(spec, { body, params: input.params, query: input.query }, "application/json");
      const json: unknown = await res.json().catch(() => undefined);
      const out = spec.response.safeParse(json);
      if (!out.success)
        throw new WorkerError(
          errorBody(
            "internal",
            `unexpected answer from ${spec.method} ${spec.path}: ${out.error.issues[0]?.message ?? "invalid"}`,
            lang(),
          ),
          res.status,
        );
      return out.data as RouteResponse<N>;
    },
    /** The audit trail as CSV text (same query as Routes.audit). */
    async auditCsv(query: Record<string, string> = {}): Promise<string> {
      const res = await send({ method: "GET", path: AUDIT_CSV_PATH, session: true }, { query }, "text/csv");
      return res.text();
    },
  };
}
export type WorkerClient = ReturnType<typeof createWorkerClient>;
