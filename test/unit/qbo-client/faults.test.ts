import { describe, expect, it } from "vitest";
import {
  errorFromNoAnswer,
  interpretResponse,
  isOutcomeUnknown,
  parseBody,
  QboError,
  retryAfterSeconds,
  tokenEndpointError,
  type CallContext,
  type ResponseFacts,
} from "../../../worker/qbo/faults";

const NOW = new Date("2026-03-05T16:00:00Z");
const write: CallContext = { write: true, expectedKey: "SalesReceipt", now: NOW };
const read: CallContext = { write: false, expectedKey: "QueryResponse", now: NOW };

const intuit = (code: string, Message: string, Detail: string, element = "", type = "ValidationFault") =>
  JSON.stringify({
    Fault: { Error: [{ Message, Detail, code, element }], type },
    time: "2026-03-05T09:17:31.892-07:00",
  });
const gateway = (code: string, message: string, detail?: string, type = "AUTHENTICATION") =>
  JSON.stringify({
    fault: { error: [{ message, ...(detail ? { detail } : {}), code }], type },
    time: "2026-03-05T09:17:31.892-07:00",
  });

const XML_429 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2017-05-05T11:10:27.316-07:00"><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached. Try again later</Detail></Error></Fault></IntuitResponse>`;
const HTML_502 = `<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>`;

function fail(facts: ResponseFacts, ctx: CallContext = write): QboError {
  try {
    interpretResponse(facts, ctx);
  } catch (e) {
    if (e instanceof QboError) return e;
    throw e;
  }
  throw new Error("expected a QboError");
}

interface Row {
  name: string;
  facts: ResponseFacts;
  ctx?: CallContext;
  code: string;
  decision: string;
  detail?: RegExp;
  unknown?: boolean;
  retryAfter?: number;
}

const table: Row[] = [
  {
    name: "401 gateway lowercase 3200",
    facts: {
      status: 401,
      body: gateway(
        "3200",
        "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        "Token expired: eyJlbmMiOiJBMTI4Q0JDLUhTMjU2",
      ),
    },
    code: "qbo_token_expired",
    decision: "refresh_then_retry",
  },
  {
    name: "401 Intuit capital 3200",
    facts: {
      status: 401,
      body: intuit(
        "3200",
        "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        "Token revoked",
        "",
        "AUTHENTICATION",
      ),
    },
    code: "qbo_token_expired",
    decision: "refresh_then_retry",
  },
  {
    name: "401 with an empty body",
    facts: { status: 401, body: "" },
    code: "qbo_token_expired",
    decision: "refresh_then_retry",
  },
  {
    name: "403 gateway lowercase 3100",
    facts: {
      status: 403,
      body: gateway(
        "3100",
        "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
        undefined,
        "SERVICE",
      ),
    },
    code: "qbo_forbidden",
    decision: "after_fix",
    detail: /ApplicationAuthorizationFailed/,
  },
  {
    name: "403 code 120 (no longer an admin)",
    facts: {
      status: 403,
      body: intuit(
        "120",
        "Authorization Failure",
        "AuthorizationFailure: -11014-You do not have access to use QuickBooks Online Plus., statusCode: 403",
        "",
        "AuthorizationFault",
      ),
    },
    code: "qbo_needs_reconnect",
    decision: "after_fix",
    detail: /do not have access/,
  },
  {
    name: "3201 gateway",
    facts: { status: 401, body: gateway("3201", "message=AuthorizationFailed; errorCode=003201; statusCode=401") },
    code: "qbo_needs_reconnect",
    decision: "after_fix",
  },
  {
    name: "429 XML ThrottleExceeded, no Retry-After",
    facts: { status: 429, body: XML_429 },
    code: "qbo_throttled",
    decision: "wait_then_retry",
    retryAfter: 60,
    detail: /ThrottleExceeded.*request limit was reached/,
  },
  {
    name: "429 XML with Retry-After",
    facts: { status: 429, body: XML_429, retryAfter: "17" },
    code: "qbo_throttled",
    decision: "wait_then_retry",
    retryAfter: 17,
  },
  {
    name: "429 empty body",
    facts: { status: 429, body: "" },
    code: "qbo_throttled",
    decision: "wait_then_retry",
    retryAfter: 60,
  },
  {
    name: "3001 inside a 200 (lowercase)",
    facts: {
      status: 200,
      body: gateway("3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", undefined, "SERVICE"),
    },
    code: "qbo_throttled",
    decision: "wait_then_retry",
    retryAfter: 60,
  },
  {
    name: "502 HTML page",
    facts: { status: 502, body: HTML_502 },
    code: "qbo_transient",
    decision: "backoff",
    unknown: true,
    detail: /HTTP 502 \(HTML page\)/,
  },
  { name: "503 empty", facts: { status: 503, body: "" }, code: "qbo_transient", decision: "backoff", unknown: true },
  {
    name: "500 SystemFault 10000",
    facts: {
      status: 500,
      body: intuit(
        "10000",
        "An application error has occurred while processing your request",
        "System Failure Error: Unexpected Internal Error. (-30012)",
        "",
        "SystemFault",
      ),
    },
    code: "qbo_transient",
    decision: "backoff",
    unknown: true,
  },
  {
    name: "500 SystemFault on a read",
    facts: {
      status: 500,
      body: intuit("10000", "An application error has occurred", "System Failure Error", "", "SystemFault"),
    },
    ctx: read,
    code: "qbo_transient",
    decision: "backoff",
    unknown: false,
  },
  {
    name: "200 truncated JSON",
    facts: { status: 200, body: '{"SalesReceipt":{"Id":"150","SyncToken":"0","Line":[{"Id":"1","LineNum":1,"Amo' },
    code: "qbo_transient",
    decision: "backoff",
    unknown: true,
    detail: /unreadable/,
  },
  {
    name: "200 HTML",
    facts: { status: 200, body: "<html><body>Maintenance</body></html>" },
    code: "qbo_transient",
    decision: "backoff",
    unknown: true,
  },
  {
    name: "200 without the entity",
    facts: { status: 200, body: JSON.stringify({ time: "2026-03-05T09:17:31.892-07:00" }) },
    code: "qbo_transient",
    decision: "backoff",
    unknown: true,
    detail: /without SalesReceipt/,
  },
  {
    name: "200 carrying a Fault (6000)",
    facts: {
      status: 200,
      body: intuit(
        "6000",
        "A business validation error has occurred while processing your request",
        "Business Validation Error: You must set a transaction amount.",
      ),
    },
    code: "qbo_validation",
    decision: "person",
    unknown: false,
    detail:
      /^A business validation error has occurred while processing your request: Business Validation Error: You must set a transaction amount\. \[6000\]$/,
  },
  {
    name: "5010 stale object",
    facts: {
      status: 400,
      body: intuit(
        "5010",
        "Stale Object Error",
        "Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.",
      ),
    },
    code: "qbo_stale_object",
    decision: "backoff",
  },
  {
    name: "6240 duplicate name",
    facts: {
      status: 400,
      body: intuit(
        "6240",
        "Duplicate Name Exists Error",
        "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.",
      ),
    },
    code: "qbo_duplicate_name",
    decision: "person",
    detail: /already using this name/,
  },
  {
    name: "6140 duplicate doc number names it",
    facts: {
      status: 400,
      body: intuit(
        "6140",
        "Duplicate Document Number Error",
        "Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=Z12-R1-7KQ2M9XA is assigned to TxnType=Sales Receipt with TxnId=150",
      ),
    },
    code: "qbo_duplicate_doc_number",
    decision: "backoff",
    detail: /^Z12-R1-7KQ2M9XA$/,
  },
  {
    name: "6140 without DocNumber uses the one sent",
    facts: {
      status: 400,
      body: intuit(
        "6140",
        "Duplicate Doc Num",
        "Duplicate Document Number Error : You must specify a different number.",
      ),
    },
    ctx: { ...write, docNumber: "Z9-R1-ABCDEFGH" },
    code: "qbo_duplicate_doc_number",
    decision: "backoff",
    detail: /^Z9-R1-ABCDEFGH$/,
  },
  {
    name: "610 object not found (inactive)",
    facts: {
      status: 400,
      body: intuit(
        "610",
        "Object Not Found",
        "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
      ),
    },
    code: "qbo_invalid_reference",
    decision: "after_fix",
    detail: /made inactive/,
  },
  {
    name: "2500 invalid reference",
    facts: {
      status: 400,
      body: intuit(
        "2500",
        "Invalid Reference Id",
        "Invalid Reference Id : Line.SalesItemLineDetail.ItemRef references an inactive or deleted Item: 44",
        "Line.SalesItemLineDetail.ItemRef",
      ),
    },
    code: "qbo_invalid_reference",
    decision: "after_fix",
    detail: /Item: 44 \[2500\] \(Line\.SalesItemLineDetail\.ItemRef\)/,
  },
  {
    name: "6210 account period closed",
    facts: {
      status: 400,
      body: intuit(
        "6210",
        "Account Period Closed, Cannot update through Services API",
        "The account period has closed and the account books cannot be updated through through the QBO Services API. Please use the QBO website to make these changes.",
      ),
    },
    code: "closed_period",
    decision: "after_fix",
    detail: /account period has closed/,
  },
  {
    name: "6210 naming the closing date",
    facts: { status: 400, body: intuit("6210", "Account Period Closed", "Books are closed as of 2026-01-31.") },
    code: "closed_period",
    decision: "after_fix",
    detail: /^2026-01-31$/,
  },
  {
    name: "6190 subscription lapsed",
    facts: {
      status: 400,
      body: intuit(
        "6190",
        "Invalid Company Status",
        "Subscription period has ended or canceled or there was a billing problem",
      ),
    },
    code: "qbo_subscription_lapsed",
    decision: "after_fix",
  },
  {
    name: "2020 required param (validation, verbatim)",
    facts: {
      status: 400,
      body: intuit(
        "2020",
        "Required param missing, need to supply the required value for the API",
        "Required parameter Line.DetailType is missing in the request",
        "Line.DetailType",
      ),
    },
    code: "qbo_validation",
    decision: "person",
    detail:
      /^Required param missing, need to supply the required value for the API: Required parameter Line\.DetailType is missing in the request \[2020\] \(Line\.DetailType\)$/,
  },
  {
    name: "6070 amount calculation",
    facts: {
      status: 400,
      body: intuit(
        "6070",
        "Amount calculation incorrect in the request",
        "Amount is not equal to Qty * UnitPrice. Supplied value:10.01",
      ),
    },
    code: "qbo_validation",
    decision: "person",
    detail: /Qty \* UnitPrice/,
  },
  {
    name: "4000 query parse error",
    facts: {
      status: 400,
      body: intuit(
        "4000",
        "Error parsing query",
        'QueryParserError: Encountered " <INTEGER> "1 "" at line 1, column 30.',
      ),
    },
    ctx: read,
    code: "qbo_validation",
    decision: "person",
    detail: /QueryParserError/,
  },
  {
    name: "several errors: the decisive one wins",
    facts: {
      status: 400,
      body: JSON.stringify({
        Fault: {
          Error: [
            { Message: "A business validation error has occurred", Detail: "x", code: "6000" },
            { Message: "Duplicate Name Exists Error", Detail: "y", code: "6240" },
          ],
          type: "ValidationFault",
        },
      }),
    },
    code: "qbo_duplicate_name",
    decision: "person",
  },
  {
    name: "400 JSON without a Fault",
    facts: { status: 400, body: JSON.stringify({ message: "bad" }) },
    code: "qbo_validation",
    decision: "person",
    detail: /^HTTP 400/,
  },
  {
    name: "404 HTML",
    facts: { status: 404, body: "<html><body>Not Found</body></html>" },
    code: "qbo_transient",
    decision: "backoff",
  },
];

describe("QBO fault classification", () => {
  it.each(table)("$name → $code", (row) => {
    const err = fail(row.facts, row.ctx ?? write);
    expect(err.code).toBe(row.code);
    expect(err.decision).toBe(row.decision);
    if (row.detail) expect(err.detail).toMatch(row.detail);
    if (row.unknown !== undefined) expect(err.outcomeUnknown).toBe(row.unknown);
    if (row.retryAfter !== undefined) expect(err.extra.retryAfterSeconds).toBe(row.retryAfter);
    expect(err.status).toBeGreaterThanOrEqual(400);
  });

  it("keeps Intuit's errors and the intuit_tid for logs and support", () => {
    const err = fail({
      status: 400,
      body: intuit("6240", "Duplicate Name Exists Error", "taken"),
      intuitTid: "1-65f2c1a3-7d2e8a",
    });
    expect(err.info.intuitTid).toBe("1-65f2c1a3-7d2e8a");
    expect(err.info.faultType).toBe("ValidationFault");
    expect(err.info.errors).toEqual([{ code: "6240", message: "Duplicate Name Exists Error", detail: "taken" }]);
  });

  it("reads codes written with leading zeros or only inside the gateway message", () => {
    expect(
      fail({
        status: 401,
        body: JSON.stringify({
          fault: {
            error: [{ message: "message=AuthenticationFailed; errorCode=003200; statusCode=401" }],
            type: "AUTHENTICATION",
          },
        }),
      }).info.errors[0]?.code,
    ).toBe("3200");
    expect(fail({ status: 400, body: JSON.stringify({ Fault: { Error: [{ Message: "m", code: 6240 }] } }) }).code).toBe(
      "qbo_duplicate_name",
    );
  });

  it("decodes XML entities in fault text", () => {
    const xml = `<IntuitResponse><Fault type="ValidationFault"><Error code="6000" element="Line"><Message>A &amp; B</Message><Detail>&lt;x&gt; &#39;y&#39;</Detail></Error></Fault></IntuitResponse>`;
    const err = fail({ status: 400, body: xml });
    expect(err.code).toBe("qbo_validation");
    expect(err.info.errors[0]).toEqual({ code: "6000", message: "A & B", detail: "<x> 'y'", element: "Line" });
  });

  it("returns the parsed body of a success carrying the entity", () => {
    const json = interpretResponse(
      { status: 200, body: JSON.stringify({ SalesReceipt: { Id: "150", SyncToken: "0" }, time: "t" }) },
      write,
    );
    expect(json.SalesReceipt).toEqual({ Id: "150", SyncToken: "0" });
  });

  it("bounds a very long verbatim detail", () => {
    const err = fail({ status: 400, body: intuit("6000", "m", "d".repeat(5000)) });
    expect(err.detail!.length).toBeLessThanOrEqual(1000);
  });

  it("flags timeouts and network errors as outcome unknown for writes only", () => {
    const timeout = errorFromNoAnswer(new Error("timeout"), { write: true, now: NOW, timedOutAfterMs: 30_000 });
    expect(timeout.code).toBe("qbo_transient");
    expect(timeout.detail).toBe("no answer within 30 s");
    expect(isOutcomeUnknown(timeout)).toBe(true);
    const net = errorFromNoAnswer(new TypeError("fetch failed"), { write: false, now: NOW });
    expect(net.detail).toBe("network error: fetch failed");
    expect(isOutcomeUnknown(net)).toBe(false);
    expect(isOutcomeUnknown(new Error("x"))).toBe(false);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterSeconds("5", NOW)).toBe(5);
    expect(retryAfterSeconds("0", NOW)).toBe(1);
    expect(retryAfterSeconds("Thu, 05 Mar 2026 16:00:30 GMT", NOW)).toBe(30);
    expect(retryAfterSeconds("soon", NOW)).toBe(60);
    expect(retryAfterSeconds(null, NOW)).toBe(60);
  });

  it("tells bodies apart", () => {
    expect(parseBody("  ").kind).toBe("empty");
    expect(parseBody(XML_429).kind).toBe("xml");
    expect(parseBody(HTML_502).kind).toBe("html");
    expect(parseBody("{oops").kind).toBe("unreadable");
    expect(parseBody("Service Unavailable").kind).toBe("unreadable");
  });
});

describe("token endpoint errors", () => {
  it.each([
    { status: 400, body: '{"error":"invalid_grant"}', code: "qbo_needs_reconnect", detail: "invalid_grant" },
    {
      status: 400,
      body: '{"error":"invalid_grant","error_description":"Token invalid"}',
      code: "qbo_needs_reconnect",
      detail: "invalid_grant: Token invalid",
    },
    { status: 401, body: '{"error":"invalid_client"}', code: "qbo_forbidden", detail: "invalid_client" },
    {
      status: 400,
      body: '{"error":"unsupported_grant_type"}',
      code: "qbo_validation",
      detail: "unsupported_grant_type",
    },
    { status: 503, body: "<html>unavailable</html>", code: "qbo_transient", detail: "token endpoint HTTP 503" },
    { status: 500, body: '{"error":"server_error"}', code: "qbo_transient", detail: "token endpoint HTTP 500" },
    { status: 429, body: "", code: "qbo_throttled", detail: "token endpoint HTTP 429" },
  ])("HTTP $status $body → $code", ({ status, body, code, detail }) => {
    const err = tokenEndpointError(status, body, NOW);
    expect(err.code).toBe(code);
    expect(err.detail).toBe(detail);
  });
});
