import { beforeEach, describe, expect, it } from "vitest";
import type { QboPort } from "../../../worker/qbo/port";
import { isOutcomeUnknown } from "../../../worker/qbo/faults";
import { openQboPort } from "../../../worker/qbo/port";
import { createHarness, forgetConnections } from "./harness";

describe("the engine's QBO port", () => {
  beforeEach(forgetConnections);

  it("posts, adopts a document after an ambiguous outcome, and names parties", async () => {
    const h = createHarness();
    await h.connect("shop-port");
    const port: QboPort = await openQboPort(h.services, "shop-port");
    const refs = await port.refs();
    const account = (name: string) => refs.accounts.find((a) => a.name === name)!.id;
    const body = (doc: string, marker: string) => ({
      TxnDate: "2026-03-05",
      ...(doc ? { DocNumber: doc } : {}),
      PrivateNote: `Tillbridge ${marker}`,
      Line: [
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 5,
          JournalEntryLineDetail: { PostingType: "Debit", AccountRef: { value: account("Chequing") } },
        },
        {
          DetailType: "JournalEntryLineDetail",
          Amount: 5,
          JournalEntryLineDetail: { PostingType: "Credit", AccountRef: { value: account("Uncategorized Income") } },
        },
      ],
    });

    const made = await port.create("JournalEntry", body("TB-P-1", "KP1"), "req-port-1");
    expect(made.docNumber).toBe("TB-P-1");
    expect(port.docUrl("JournalEntry", made.id)).toBe(
      `${h.services.env.QBO_APP_URL}/journalentry?txnId=${made.id}&realm=${port.realmId}`,
    );

    // the create committed but its answer was lost: the engine looks before it sends again
    h.sandbox.injectFault({
      realm: port.realmId,
      match: { entity: "JournalEntry", operation: "create" },
      kind: "commitThenTimeout",
    });
    const lost = await port.create("JournalEntry", body("", "KP2"), "req-port-2").catch((e: unknown) => e);
    expect(isOutcomeUnknown(lost)).toBe(true);
    expect(await port.findExisting("JournalEntry", { body: body("", "KP2"), marker: "KP2" })).toMatchObject({
      id: expect.any(String),
    });
    expect(
      await port.findExisting("JournalEntry", { docNumber: "TB-P-1", body: body("TB-P-1", "KP1"), marker: "KP1" }),
    ).toEqual(made);
    expect(
      await port.findExisting("JournalEntry", { docNumber: "TB-P-9", body: body("TB-P-9", "KP9"), marker: "KP9" }),
    ).toBeNull();

    const customerId = await port.findOrCreateCustomer(
      {
        id: "c-1",
        firstName: "Chloé",
        lastName: "Bouchard",
        companyName: null,
        email: "chloe@example.ca",
        customerCode: null,
      },
      "Chloé Bouchard",
    );
    expect(
      await port.findOrCreateCustomer(
        { id: "c-1", firstName: "Chloé", lastName: "Bouchard", companyName: null, email: null, customerCode: null },
        "Chloé Bouchard",
      ),
    ).toBe(customerId);
    const stored = (
      h.sandbox.entities(port.realmId, "Customer") as {
        Id: string;
        GivenName?: string;
        PrimaryEmailAddr?: { Address: string };
      }[]
    ).find((c) => c.Id === customerId);
    expect(stored).toMatchObject({ GivenName: "Chloé", PrimaryEmailAddr: { Address: "chloe@example.ca" } });
    const vendorId = await port.findOrCreateVendor(
      {
        id: "s-1",
        name: "Fournitures Laurentides Ltée",
        companyName: "Fournitures Laurentides Ltée",
        firstName: null,
        lastName: null,
        email: null,
      },
      "Fournitures Laurentides Ltée",
    );
    expect(vendorId).toBe(
      (h.sandbox.entities(port.realmId, "Vendor") as { Id: string; DisplayName: string }[]).find(
        (v) => v.DisplayName === "Fournitures Laurentides Ltée",
      )!.Id,
    );
  });
});
