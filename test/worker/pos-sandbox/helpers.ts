import type { PosSandbox } from "../../../sandbox/pos/index";

/** Talking to the POS sandbox over HTTP, in-process, the way the Worker's connector does. */

export const BASE = "http://127.0.0.1:8789";
export const CLIENT = {
  id: "tillbridge-test-pos",
  secret: "test-pos-secret",
  redirect: "http://127.0.0.1:8787/auth/pos/callback",
};

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  token_type: string;
  domain_prefix: string;
  scope: string;
}

export function form(values: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(values).toString(),
  };
}

export async function authorizeCode(sb: PosSandbox, prefix = "demo"): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT.id,
    redirect_uri: CLIENT.redirect,
    state: "state-12345",
    domain_prefix: prefix,
  });
  const res = await sb.fetch(new Request(`${BASE}/connect?${q}`, { redirect: "manual" }));
  const location = new URL(res.headers.get("location")!);
  return location.searchParams.get("code")!;
}

export async function exchange(sb: PosSandbox, prefix: string, values: Record<string, string>): Promise<Response> {
  return sb.fetch(
    new Request(
      `${BASE}/${prefix}/api/1.0/token`,
      form({ client_id: CLIENT.id, client_secret: CLIENT.secret, ...values }),
    ),
  );
}

/** A full connection (autoApprove sandbox): code → tokens. */
export async function connect(sb: PosSandbox, prefix = "demo"): Promise<Tokens> {
  const code = await authorizeCode(sb, prefix);
  const res = await exchange(sb, prefix, { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirect });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Tokens;
}

export function api(
  sb: PosSandbox,
  token: string | null,
  path: string,
  init: RequestInit = {},
  prefix = "demo",
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return sb.fetch(new Request(`${BASE}/${prefix}/api/2026-07${path}`, { ...init, headers }));
}

export async function getJson<T = any>(sb: PosSandbox, token: string, path: string, prefix = "demo"): Promise<T> {
  const res = await api(sb, token, path, {}, prefix);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export function control(sb: PosSandbox, path: string, body?: unknown, method = "POST"): Promise<Response> {
  return sb.fetch(
    new Request(`${BASE}/_sandbox${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}
