/** Builders for seeded companies: each record carries the fields QBO itself returns for it. */
import type { Doc, RealmState } from "./state";

export const CLASSIFICATION: Record<string, string> = {
  Bank: "Asset",
  "Accounts Receivable": "Asset",
  "Other Current Asset": "Asset",
  "Fixed Asset": "Asset",
  "Other Asset": "Asset",
  "Accounts Payable": "Liability",
  "Credit Card": "Liability",
  "Other Current Liability": "Liability",
  "Long Term Liability": "Liability",
  Equity: "Equity",
  Income: "Revenue",
  "Other Income": "Revenue",
  "Cost of Goods Sold": "Expense",
  Expense: "Expense",
  "Other Expense": "Expense",
};

export class Seeder {
  private readonly ids = new Map<string, string>();
  constructor(
    readonly realm: RealmState,
    private readonly at: string,
    private readonly currency: { value: string; name: string },
  ) {}

  /** The id a seeded record got, by its entity and name. */
  id(entity: string, name: string): string {
    const id = this.ids.get(`${entity}:${name}`);
    if (!id) throw new Error(`seed: no ${entity} named ${name}`);
    return id;
  }

  ref(entity: string, name: string) {
    return { value: this.id(entity, name), name };
  }

  add(entity: string, name: string, fields: Doc): Doc {
    const id = String(this.realm.nextId++);
    const doc: Doc = {
      ...fields,
      domain: "QBO",
      sparse: false,
      Id: id,
      SyncToken: "0",
      MetaData: { CreateTime: this.at, LastUpdatedTime: this.at },
    };
    (this.realm.entities[entity] ??= {})[id] = doc;
    this.ids.set(`${entity}:${name}`, id);
    return doc;
  }

  account(name: string, type: string, subType: string, extra: Doc = {}): Doc {
    return this.add("Account", name, {
      Name: name,
      SubAccount: false,
      FullyQualifiedName: name,
      Active: true,
      Classification: CLASSIFICATION[type],
      AccountType: type,
      AccountSubType: subType,
      CurrentBalance: 0,
      CurrentBalanceWithSubAccounts: 0,
      CurrencyRef: this.currency,
      ...extra,
    });
  }

  item(name: string, type: string, fields: Doc): Doc {
    return this.add("Item", name, {
      Name: name,
      FullyQualifiedName: name,
      Active: true,
      Type: type,
      UnitPrice: 0,
      PurchaseCost: 0,
      TrackQtyOnHand: false,
      ...fields,
    });
  }

  person(entity: "Customer" | "Vendor" | "Employee", displayName: string, fields: Doc = {}): Doc {
    return this.add(entity, displayName, {
      DisplayName: displayName,
      PrintOnCheckName: displayName,
      FullyQualifiedName: displayName,
      Active: true,
      ...(entity === "Employee" ? {} : { Balance: 0, CurrencyRef: this.currency }),
      ...fields,
    });
  }

  named(entity: string, name: string, fields: Doc = {}): Doc {
    return this.add(entity, name, { Name: name, Active: true, ...fields });
  }

  taxRate(name: string, rate: string, agency: string, description: string): Doc {
    return this.add("TaxRate", name, {
      Name: name,
      Description: description,
      Active: true,
      RateValue: Number(rate),
      AgencyRef: { value: this.id("TaxAgency", agency) },
      SpecialTaxType: "NONE",
      DisplayType: "ReadOnly",
      EffectiveTaxRate: [{ RateValue: Number(rate), EffectiveDate: "2013-01-01T00:00:00-08:00" }],
    });
  }

  taxCode(name: string, description: string, sales: string[], purchase: string[], extra: Doc = {}): Doc {
    const list = (rates: string[]) => ({
      TaxRateDetail: rates.map((r, i) => ({
        TaxRateRef: this.ref("TaxRate", r),
        TaxTypeApplicable: "TaxOnAmount",
        TaxOrder: i,
      })),
    });
    return this.add("TaxCode", name, {
      Name: name,
      Description: description,
      Active: true,
      Hidden: false,
      Taxable: sales.length + purchase.length > 0,
      TaxGroup: sales.length > 1 || purchase.length > 1,
      SalesTaxRateList: list(sales),
      PurchaseTaxRateList: list(purchase),
      ...extra,
    });
  }
}
