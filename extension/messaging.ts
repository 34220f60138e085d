import { z } from "zod";
import { CountedTotalsRequest, isCalendarDate, ResolveRequest, Routes, type RouteName } from "../shared/api";
import { ApiError, Lang } from "../shared/errors";
import { ObjectRef } from "../shared/sync";

/**
 * The one message contract between the extension's own contexts (content script, options page,
 * popup, connected.html) and the background, which alone holds the session and talks to the Worker.
 * Every message is zod-validated by the background; `PAGE_ONLY` messages are refused from content
 * scripts, because a content script lives inside a web page we do not control.
 */

export const Section = z.enum([
  "setup",
  "connections",
  "attention",
  "mappings",
  "reports",
  "closures",
  "audit",
  "backfill",
]);
export type Section = z.infer<typeof Section>;

export const SelectorReport = z.object({
  /** The selector's name in extension/host/selectors.ts */
  selector: z.string().min(1).max(100),
  feature: z.string().min(1).max(100),
  /** The page path (no query: it may carry customer data) */
  path: z.string().max(300),
  at: z.string().max(40),
});
export type SelectorReport = z.infer<typeof SelectorReport>;

/** Routes the options page and popup may call through the generic `api` message. The connect flows are the background's own. */
const PAGE_ROUTES = (Object.keys(Routes) as RouteName[]).filter(
  (r) => r !== "posStart" && r !== "sessionExchange" && r !== "qboConnect",
);
const PageRoute = z.enum(PAGE_ROUTES as [RouteName, ...RouteName[]]);
const Query = z.record(z.string(), z.string().max(200)).optional();

export const Message = z.discriminatedUnion("type", [
  // from content scripts and pages
  z.object({ type: z.literal("prefs") }),
  z.object({ type: z.literal("status"), objects: z.array(ObjectRef).min(1).max(500) }),
  z.object({ type: z.literal("send"), object: ObjectRef }),
  z.object({ type: z.literal("retry"), object: ObjectRef }),
  z.object({ type: z.literal("resolve"), object: ObjectRef, action: ResolveRequest.shape.action }),
  z.object({ type: z.literal("counted"), closureId: z.string().min(1).max(200), totals: CountedTotalsRequest }),
  z.object({ type: z.literal("selectorReport"), report: SelectorReport }),
  z.object({
    type: z.literal("openOptions"),
    section: Section.optional(),
    /** A grey badge's "Backfill from here": the day the options page's backfill starts from */
    backfillFrom: z.string().refine(isCalendarDate, "not a calendar date").optional(),
  }),
  // from extension pages only
  z.object({ type: z.literal("state") }),
  z.object({ type: z.literal("setLang"), lang: Lang }),
  z.object({ type: z.literal("connectPos") }),
  z.object({ type: z.literal("connectQbo") }),
  z.object({ type: z.literal("completeConnect"), hash: z.string().max(2000) }),
  z.object({ type: z.literal("disconnect"), system: z.enum(["pos", "qbo"]) }),
  z.object({ type: z.literal("auditCsv"), query: Query }),
  z.object({
    type: z.literal("api"),
    route: PageRoute,
    params: z.record(z.string(), z.string().max(200)).optional(),
    query: Query,
    body: z.unknown().optional(),
  }),
]);
export type Message = z.infer<typeof Message>;
export type MessageType = Message["type"];
export const PAGE_ONLY: ReadonlySet<MessageType> = new Set([
  "state",
  "setLang",
  "connectPos",
  "connectQbo",
  "completeConnect",
  "disconnect",
  "auditCsv",
  "api",
]);

export interface SessionInfo {
  tenantId: string;
  storeName: string;
  expiresAt: string;
}

/** What each message answers with (the `data` of an ok reply). */
export interface Replies {
  prefs: { lang: Lang; signedIn: boolean };
  status: z.infer<typeof Routes.status.response>;
  send: z.infer<typeof Routes.send.response>;
  retry: z.infer<typeof Routes.retry.response>;
  resolve: z.infer<typeof Routes.resolve.response>;
  counted: z.infer<typeof Routes.counted.response>;
  selectorReport: { stored: number };
  openOptions: { opened: true };
  state: { session: SessionInfo | null; lang: Lang; selectorReports: SelectorReport[]; workerUrl: string };
  setLang: { lang: Lang };
  connectPos: { authorizeUrl: string };
  connectQbo: { authorizeUrl: string };
  completeConnect: { system: "pos" | "qbo"; storeName?: string };
  disconnect: { ok: true };
  auditCsv: { csv: string };
  api: unknown;
}

export type ErrorBody = ApiError["error"];
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export const ReplyShape = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError.shape.error }),
]);

export type MessageOf<T extends MessageType> = Omit<Extract<Message, { type: T }>, "type">;
