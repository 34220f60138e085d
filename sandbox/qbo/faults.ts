/**
 * QBO's error shapes. Accounting API faults are `{"Fault":{"Error":[...],"type":...},"time":...}` with a
 * string `code`; the API gateway (authentication, authorization, throttling) answers in a different,
 * lowercase shape. Both are reproduced byte-for-byte in structure because Tillbridge's connector must
 * parse both (qbo-api-notes §5.1).
 */

export type FaultType = "ValidationFault" | "SystemFault" | "AuthenticationFault" | "AuthorizationFault" | "SERVICE";

/** A QBO Accounting API fault, thrown anywhere below a route and rendered by the route. */
export class QboFault extends Error {
  override name = "QboFault";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly qboMessage: string,
    readonly detail: string,
    readonly element = "",
    readonly type: FaultType = "ValidationFault",
  ) {
    super(`${code} ${qboMessage}: ${detail}`);
  }

  body(time: string) {
    const error: Record<string, string> = { Message: this.qboMessage, Detail: this.detail, code: this.code };
    if (this.element) error.element = this.element;
    return { Fault: { Error: [error], type: this.type }, time };
  }
}

/** The codes and messages QBO uses for each rule, in one place so tests and rules agree. */
export const F = {
  unsupportedProperty: (prop: string, detail?: string) =>
    new QboFault(
      400,
      "2010",
      "Request has invalid or unsupported property",
      detail ?? `Property Name:${prop} specified is unsupported or invalid`,
      prop,
    ),
  invalidEnum: (prop: string, value: unknown) =>
    new QboFault(
      400,
      "2170",
      "Invalid Enumeration",
      `Invalid Enumeration : ${String(value)} for property ${prop}`,
      prop,
    ),
  required: (element: string) =>
    new QboFault(
      400,
      "2020",
      "Required param missing, need to supply the required value for the API",
      `Required parameter ${element} is missing in the request`,
      element,
    ),
  stringLength: (element: string, max: number) =>
    new QboFault(
      400,
      "2050",
      "String length is either shorter or longer than supported by specification",
      `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length: ${element}`,
      element,
    ),
  notFound: (what: string, element = "") =>
    new QboFault(
      400,
      "610",
      "Object Not Found",
      `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${what})`,
      element,
    ),
  inactive: (what: string, element = "") =>
    new QboFault(
      400,
      "2500",
      "Invalid Reference Id",
      `Invalid Reference Id : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${what})`,
      element,
    ),
  business: (detail: string, element = "") =>
    new QboFault(
      400,
      "6000",
      "A business validation error has occurred while processing your request",
      `Business Validation Error: ${detail}`,
      element,
    ),
  amountCalc: (detail: string) =>
    new QboFault(
      400,
      "6070",
      "Amount calculation incorrect in the request",
      `Amount is not equal to Qty * UnitPrice. ${detail}`,
      "Line.Amount",
    ),
  noName: () =>
    new QboFault(
      400,
      "6080",
      "No Name Provided",
      "Please provide a name: Title, GivenName, MiddleName, FamilyName, DisplayName or Suffix.",
      "DisplayName",
    ),
  usLineTaxCode: (value: string) =>
    new QboFault(
      400,
      "6100",
      "Invalid Line TaxCode",
      `Invalid Line TaxCode ${value}. Valid Line TaxCodes for US should be TAX or NON`,
      "TaxCodeRef",
    ),
  duplicateDocNumber: (docNumber: string) =>
    new QboFault(
      400,
      "6140",
      "Duplicate Document Number Error",
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber}`,
      "DocNumber",
    ),
  periodClosed: (closeDate: string) =>
    new QboFault(
      400,
      "6210",
      "Account Period Closed",
      `The account period has closed and the books cannot be updated through the services API. Please use QuickBooks Online to update the account period (books closed on ${closeDate}).`,
    ),
  duplicateName: (name: string) =>
    new QboFault(
      400,
      "6240",
      "Duplicate Name Exists Error",
      `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. (${name})`,
      "DisplayName",
    ),
  duplicateItemName: (name: string, entity: string) =>
    new QboFault(
      400,
      "6240",
      "Duplicate Name Exists Error",
      `The name supplied already exists. : Another ${entity} is already using this name. Please use a different name. (${name})`,
      "Name",
    ),
  stale: (id: string) =>
    new QboFault(
      400,
      "5010",
      "Stale Object Error",
      `Stale Object Error : You and another user were working on the same thing. Please try again. (Id ${id})`,
      "SyncToken",
    ),
  unsupportedOperation: (detail: string) =>
    new QboFault(400, "500", "Unsupported Operation", `Operation ${detail} is not supported.`),
  batchTooBig: (n: number) =>
    new QboFault(
      400,
      "1040",
      "Batch size exceeds allowed limit",
      `Batch size ${n} exceeds the allowed limit of 30 BatchItemRequest items`,
    ),
  queryParse: (detail: string) => new QboFault(400, "4000", "Error parsing query", `QueryParserError: ${detail}`),
  queryValidation: (detail: string) => new QboFault(400, "4001", "Invalid query", `QueryValidationError: ${detail}`),
  system: (detail = "An application error has occurred while processing your request") =>
    new QboFault(
      500,
      "10000",
      "An application error has occurred while processing your request",
      `System Failure Error: ${detail}`,
      "",
      "SystemFault",
    ),
} as const;

/** The gateway's 401 for a missing, malformed, expired or revoked access token. */
export function authenticationFailedBody(detail: string) {
  return {
    fault: {
      error: [{ message: "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail, code: "3200" }],
      type: "AUTHENTICATION",
    },
  };
}

/** The gateway's 403 for a token that is valid but not for this company. */
export function authorizationFailedBody(detail: string) {
  return {
    fault: {
      error: [
        { message: "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", detail, code: "3100" },
      ],
      type: "SERVICE",
    },
  };
}

export function throttleBody() {
  return {
    fault: {
      error: [
        {
          message: "message=ThrottleExceeded; errorCode=003001; statusCode=429",
          detail: "The request limit was reached.",
          code: "3001",
        },
      ],
      type: "SERVICE",
    },
  };
}

/** The XML 429 body Intuit has been observed to send even to clients that asked for JSON. */
export function throttleXml(time: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${time}">` +
    `<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>` +
    `<Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>`
  );
}
