import { ErrorCode } from "../../shared/errors";

/**
 * Structured JSON logs, one object a line: `t`, `level`, `msg`, the request id (`requestId`, or
 * the cron run's id) and the caller's fields. Nothing secret is written, whatever the caller
 * passes: values under secret-looking keys are dropped, and inside any string bearer/basic
 * credentials, JWTs, Tillbridge session tokens and secret URL parameters (an OAuth `code`,
 * `state`, tokens) are masked. Intuit's review asks for exactly this (no token logging).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY =
  /token|secret|password|passwd|authorization|cookie|session|verifier|credential|signature|private_?key|api_?key|^key$|^nonce/i;
/** OAuth authorization codes travel as `code`; Tillbridge's own error codes (an enum) are safe to show. */
const CODE_KEY = /^(code|auth_?code|authorization_?code|handoff_?code)$/i;
const MASKS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, "$1 [redacted]"],
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, "[jwt redacted]"],
  [/\btbs_[A-Za-z0-9_-]{16,}/g, "tbs_[redacted]"],
  [
    /([?&#](?:code|state|nonce|access_token|refresh_token|id_token|client_secret|token|secret)=)[^&#\s"']+/gi,
    "$1[redacted]",
  ],
];

function mask(text: string): string {
  return MASKS.reduce((s, [re, to]) => s.replace(re, to), text);
}

function secretUnder(key: string, value: unknown): boolean {
  if (CODE_KEY.test(key)) return !(typeof value === "string" && ErrorCode.safeParse(value).success);
  return SECRET_KEY.test(key);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (typeof value === "string") return mask(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = secretUnder(k, v) ? "[redacted]" : redact(v, depth + 1);
    return out;
  }
  return value;
}

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};

export function createLogger(
  level: LogLevel,
  fields: Record<string, unknown> = {},
  sink: LogSink = consoleSink,
): Logger {
  const write = (lvl: LogLevel, msg: string, data?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const entry = redact({ level: lvl, msg, ...fields, ...data }) as Record<string, unknown>;
    sink(JSON.stringify({ t: new Date().toISOString(), ...entry }), lvl);
  };
  return {
    debug: (m, d) => write("debug", m, d),
    info: (m, d) => write("info", m, d),
    warn: (m, d) => write("warn", m, d),
    error: (m, d) => write("error", m, d),
    child: (more) => createLogger(level, { ...fields, ...more }, sink),
  };
}
