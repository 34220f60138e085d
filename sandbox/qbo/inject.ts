/**
 * Fault injection for the sync engine's fault-matrix tests: each spec answers the next matching
 * request(s) the way QBO or the network misbehaves. Faults are consumed in the order injected.
 */
import type { SandboxContext } from "./context";

export type FaultKind =
  | "http500"
  | "http503"
  | "http502html"
  | "throttle"
  | "throttleXml"
  | "truncatedJson"
  | "okWithoutEntity"
  | "fault"
  | "timeoutBeforeCommit"
  | "commitThenTimeout"
  | "expireToken";

export interface FaultSpec {
  /** Only requests for this company (omit: any request, including OAuth) */
  realm?: string | undefined;
  match?:
    | {
        method?: string | undefined;
        /** Entity name, case-insensitive ("SalesReceipt"), or "batch" / "query" */
        entity?: string | undefined;
        /** create | update | delete | void | read | query | batch | token | revoke */
        operation?: string | undefined;
        pathIncludes?: string | undefined;
        /** Answer one item inside a batch instead of a whole request (kinds "fault", "http500", "http503"):
         * that item gets its own Fault, the batch's other items run. "either": the next matching write,
         * whether it comes alone or as a batch item (a poster that batches when it can) */
        inBatch?: boolean | "either" | undefined;
      }
    | undefined;
  /** How many matching requests it answers (default 1) */
  count?: number | undefined;
  kind: FaultKind;
  /** For kind "fault": the QBO fault to answer with */
  fault?:
    | {
        status: number;
        code: string;
        type?: string | undefined;
        message: string;
        detail?: string | undefined;
        element?: string | undefined;
      }
    | undefined;
}

export interface RequestFacts {
  realmId: string | null;
  method: string;
  path: string;
  entity?: string | undefined;
  operation: string;
  /** A batch item (matched only by specs with match.inBatch) */
  inBatch?: boolean | undefined;
}

/** The kinds a batch item can be answered with. */
export const BATCH_ITEM_KINDS: ReadonlySet<FaultKind> = new Set(["fault", "http500", "http503"]);

/** Kinds where the operation is performed before the response goes wrong. */
export const COMMITTING: ReadonlySet<FaultKind> = new Set(["truncatedJson", "okWithoutEntity", "commitThenTimeout"]);

/** The header the app sets on a response that the sandbox's fetch must turn into a network error. */
export const NETWORK_FAILURE_HEADER = "x-qbo-sandbox-network-failure";

export function takeFault(
  ctx: SandboxContext,
  req: RequestFacts,
  applies: (f: FaultSpec) => boolean = () => true,
): FaultSpec | undefined {
  const i = ctx.faults.findIndex((f) => applies(f) && matches(f, req));
  if (i < 0) return undefined;
  const f = ctx.faults[i]!;
  const left = (f.count ?? 1) - 1;
  if (left <= 0) ctx.faults.splice(i, 1);
  else ctx.faults[i] = { ...f, count: left };
  return f;
}

function matches(f: FaultSpec, req: RequestFacts): boolean {
  if (f.realm !== undefined && f.realm !== req.realmId) return false;
  const m = f.match ?? {};
  if (m.inBatch !== "either" && Boolean(m.inBatch) !== Boolean(req.inBatch)) return false;
  if (m.method && m.method.toUpperCase() !== req.method) return false;
  if (m.entity && m.entity.toLowerCase() !== (req.entity ?? "").toLowerCase()) return false;
  if (m.operation && m.operation !== req.operation) return false;
  if (m.pathIncludes && !req.path.includes(m.pathIncludes)) return false;
  return true;
}
