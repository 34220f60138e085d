import { beforeAll, describe, expect, it } from "vitest";
import { createPosSandbox, type PosSandbox } from "../../../sandbox/pos/index";
import { conformsTo } from "./openapi";
import { describeWithReference } from "../../support/reference";

/**
 * What the sandbox serves has the shape Lightspeed's OpenAPI 2026-07 says, checked against the spec's
 * own component schemas (./openapi.ts): every sale of every demo store — the tax-inclusive AU and UK
 * stores and the CA and US stores with full activity — and the other objects the new activity touches.
 */

const BASE = "http://127.0.0.1:8789";
const CLIENT = { id: "tillbridge-test-pos", secret: "test-pos-secret", redirect: "http://127.0.0.1:8787/cb" };

async function token(sb: PosSandbox, prefix: string): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT.id,
    redirect_uri: CLIENT.redirect,
    state: "state-12345",
    domain_prefix: prefix,
  });
  const code = new URL(
    (await sb.fetch(new Request(`${BASE}/connect?${q}`, { redirect: "manual" }))).headers.get("location")!,
  ).searchParams.get("code")!;
  const res = await sb.fetch(
    new Request(`${BASE}/${prefix}/api/1.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_type: "authorization_code",
        code,
        redirect_uri: CLIENT.redirect,
      }).toString(),
    }),
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

async function get(sb: PosSandbox, prefix: string, bearer: string, path: string): Promise<unknown> {
  const res = await sb.fetch(
    new Request(`${BASE}/${prefix}/api/2026-07${path}`, { headers: { authorization: `Bearer ${bearer}` } }),
  );
  expect(res.status, path).toBe(200);
  return res.json();
}

// Everything here reads ../shared/reference/lightspeed-x-series-openapi.json, which only the workspace has.
describeWithReference(
  "lightspeed-x-series-openapi.json",
  "the sandbox's payloads against Lightspeed's OpenAPI 2026-07",
  () => {
    describe("the checker", () => {
      it("refuses invented properties, wrong types, unknown enum values and missing required fields", () => {
        expect(
          conformsTo("Sale", {
            bogus: 1,
            state: "done",
            totals: { price: "1.00" },
            line_items: [{ surcharges: [{ value: 1, rate: 2 }] }],
          }),
        ).toEqual([
          "Sale.bogus: not a property of the schema",
          'Sale.state: "done" is not one of parked, pending, voided, closed',
          'Sale.totals.price: expected number, got "1.00"',
          "Sale.line_items[0].surcharges[0].rate: not a property of the schema",
        ]);
        expect(conformsTo("LspayTransaction", { id: "x" })).toContain("LspayTransaction.tenders: required but missing");
        expect(conformsTo("Outlet", { id: "o", display_prices: "incl" })).toContain(
          'Outlet.display_prices: "incl" is not one of inclusive, exclusive',
        );
      });

      it("lets an optional property be null only leniently (the sandbox's documented convention)", () => {
        expect(conformsTo("Sale", { customer_id: null })).toEqual([]);
        expect(conformsTo("Sale", { customer_id: null }, { strictNulls: true })).toEqual([
          "Sale.customer_id: null where the spec says not nullable",
        ]);
      });
    });

    describe("every payload of the four demo stores, full activity", () => {
      let sb: PosSandbox;
      const prefixes = ["demo", "demo-us", "demo-au", "demo-uk"];

      beforeAll(() => {
        sb = createPosSandbox({
          stores: ["ca", "us", "au", "uk"],
          activity: { ca: "full", us: "full" },
          days: 12,
          autoApprove: true,
        });
      }, 120_000); // generation takes seconds on a busy machine: generous on purpose

      it.each(prefixes)(
        "%s: sales, customers, retailer, outlets, payment types, taxes, products, registers",
        async (prefix) => {
          const bearer = await token(sb, prefix);
          const errors: string[] = [];
          const sales = (await get(sb, prefix, bearer, "/sales?page_size=10000")) as { data: unknown[] };
          expect(sales.data.length).toBeGreaterThan(300);
          errors.push(...conformsTo("SaleCollection", sales));
          for (const [path, schema] of [
            ["/customers", "CustomerCollection"],
            ["/retailer", "RetailerResponse"],
            ["/outlets", "OutletCollection"],
            ["/payment_types", "PaymentTypeCollection"],
            ["/taxes", "TaxCollection"],
            ["/products", "ProductCollection"],
            ["/registers", "RegisterCollection"],
          ] as const) {
            // /taxes pages by version (`after`, `before`) like every version-cursor list, which answers `version`
            errors.push(
              ...conformsTo(schema, await get(sb, prefix, bearer, path), { extra: ["TaxCollection.version"] }),
            );
          }
          const register = Object.values(sb.store(prefix).registers)[0]!;
          errors.push(
            ...conformsTo(
              "RegisterPaymentsSummaryResponse",
              await get(sb, prefix, bearer, `/registers/${register.id}/payments_summary`),
              // the schema omits what the spec's own example of this response (and the closing docs) show
              {
                extra: ["closure_id", "closure_sequence_number", "open_time"].map(
                  (k) => `RegisterPaymentsSummaryResponse.data.register_${k}`,
                ),
              },
            ),
          );
          expect(errors.slice(0, 20)).toEqual([]);
        },
        60_000,
      );

      it.each(prefixes)(
        "%s: every Lightspeed Payments transaction is an LspayTransaction",
        { timeout: 60_000 },
        (prefix) => {
          const payments = Object.values(sb.store(prefix).sales)
            .flatMap((s) => s.payments)
            .filter((p) => p.lspay);
          expect(payments.length).toBeGreaterThan(50);
          const errors = payments.flatMap((p) => conformsTo("LspayTransaction", sb.lspayTransaction(prefix, p.id)));
          expect(errors.slice(0, 20)).toEqual([]);
        },
      );

      it("serves the new activity's fields: adjustments, line surcharges, payment surcharges, custom charges, loyalty", {
        timeout: 60_000,
      }, async () => {
        const seen = new Set<string>();
        for (const prefix of prefixes) {
          const bearer = await token(sb, prefix);
          const { data } = (await get(sb, prefix, bearer, "/sales?page_size=10000")) as {
            data: {
              adjustments: { adjustment_type: string }[];
              ecom_custom_charges: unknown[];
              line_items: { surcharges: unknown[]; status: string; pricing: { loyalty_amount: number } }[];
              payments: { surcharge?: unknown }[];
              totals: { loyalty: number };
            }[];
          };
          for (const s of data) {
            for (const a of s.adjustments) seen.add(a.adjustment_type);
            if (s.ecom_custom_charges.length) seen.add("ecom_custom_charges");
            if (s.line_items.some((l) => l.surcharges.length)) seen.add("line surcharges");
            if (s.line_items.some((l) => l.status === "VOIDED")) seen.add("VOIDED line");
            if (s.payments.some((p) => p.surcharge)) seen.add("payment surcharge");
            if (s.totals.loyalty !== 0) seen.add("loyalty");
          }
        }
        expect([...seen].sort()).toEqual(
          [
            "ECOM_CUSTOM_CHARGE",
            "NON_CASH_FEE",
            "ROUNDING",
            "SURCHARGE",
            "TIP",
            "VOIDED line",
            "ecom_custom_charges",
            "line surcharges",
            "loyalty",
            "payment surcharge",
          ].sort(),
        );
      });
    });
  },
);
