import { useEffect, useState } from "preact/hooks";
import type { DriftResponse, LiabilitiesResponse, LiabilityRow, ReconciliationResponse } from "../../shared/api";
import { callApi } from "../ask";
import { errorText, formatCents, localTime, objectName, useUi } from "./context";
import { csvMoney, download, toCsv } from "./csv";

const DAY_MS = 24 * 3600 * 1000;
/** A day in the browser's own zone, YYYY-MM-DD (the Worker reads days in the store's zone). */
const dayOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

const Money = ({ cents }: { cents: number | null }) => <td class="num">{cents === null ? "—" : formatCents(cents)}</td>;

/**
 * Reports: the daily reconciliation per payment type, the gift-card and store-credit liability
 * roll-forward, and the documents changed in QBO since Tillbridge posted them. One date range for
 * the first two; each table exports as CSV.
 */
export function ReportsSection({ today = Date.now() }: { today?: number }) {
  const { t } = useUi();
  const [from, setFrom] = useState(dayOf(today - 6 * DAY_MS));
  const [to, setTo] = useState(dayOf(today));
  const [recon, setRecon] = useState<ReconciliationResponse | null>(null);
  const [liab, setLiab] = useState<LiabilitiesResponse | null>(null);
  const [errors, setErrors] = useState<{ recon?: string; liab?: string }>({});

  const show = async () => {
    setErrors({});
    const query = { from, to };
    await Promise.all([
      callApi("reconciliation", { query })
        .then(setRecon)
        .catch((e) => setErrors((x) => ({ ...x, recon: errorText(e) }))),
      callApi("liabilities", { query })
        .then(setLiab)
        .catch((e) => setErrors((x) => ({ ...x, liab: errorText(e) }))),
    ]);
  };

  return (
    <div>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void show();
        }}
      >
        <label>
          {t("reports.from")}{" "}
          <input
            type="date"
            required
            data-testid="reports-from"
            value={from}
            onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t("reports.to")}{" "}
          <input
            type="date"
            required
            data-testid="reports-to"
            value={to}
            onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="primary" data-testid="reports-show">
          {t("reports.show")}
        </button>
      </form>
      <h3>{t("recon.title")}</h3>
      <p class="section-help">{t("recon.help")}</p>
      {errors.recon ? <p class="notice notice-error">{errors.recon}</p> : null}
      {recon ? <Reconciliation report={recon} /> : null}
      <h3>{t("liab.title")}</h3>
      {errors.liab ? <p class="notice notice-error">{errors.liab}</p> : null}
      {liab ? <Liabilities report={liab} /> : null}
      <h3>{t("drift.title")}</h3>
      <Drift />
    </div>
  );
}

function Reconciliation({ report }: { report: ReconciliationResponse }) {
  const { t } = useUi();
  if (report.rows.length === 0)
    return (
      <p class="muted" data-testid="recon-none">
        {t("recon.none")}
      </p>
    );
  const exportCsv = () =>
    download(
      `tillbridge-reconciliation-${report.from}-${report.to}.csv`,
      toCsv([
        [
          t("recon.date"),
          t("recon.paymentType"),
          t("recon.taken"),
          t("recon.counted"),
          t("recon.posted"),
          t("recon.account"),
          t("recon.waiting"),
        ],
        ...report.rows.map((r) => [
          r.date,
          r.name,
          csvMoney(r.takenMinor),
          csvMoney(r.countedMinor),
          csvMoney(r.postedMinor),
          r.account?.name ?? "",
          r.waiting,
        ]),
      ]),
    );
  return (
    <>
      <div class="toolbar">
        <span class="muted">{t("reports.timeZone", { tz: report.timeZone })}</span>
        <button type="button" data-testid="recon-csv" onClick={exportCsv}>
          {t("reports.csv")}
        </button>
      </div>
      <DailyChart report={report} />
      <table class="grid" data-testid="recon-table">
        <thead>
          <tr>
            <th scope="col">{t("recon.date")}</th>
            <th scope="col">{t("recon.paymentType")}</th>
            <th scope="col" class="num">
              {t("recon.taken")}
            </th>
            <th scope="col" class="num">
              {t("recon.counted")}
            </th>
            <th scope="col" class="num">
              {t("recon.posted")}
            </th>
            <th scope="col">{t("recon.account")}</th>
            <th scope="col" class="num">
              {t("recon.waiting")}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => {
            // a deposit type fully posted whose posting differs from the count (an edit in QBO, on-account payments)
            const off = r.postedMinor !== null && r.waiting === 0 && r.postedMinor !== r.countedMinor;
            return (
              <tr class={off ? "diff" : undefined} data-testid="recon-row">
                <td>{r.date}</td>
                <th scope="row">{r.name}</th>
                <Money cents={r.takenMinor} />
                <td class="num">
                  {formatCents(r.countedMinor)}
                  {r.countedUnknown ? (
                    <div class="muted">{t("recon.countedUnknown", { n: r.countedUnknown })}</div>
                  ) : null}
                </td>
                <Money cents={r.postedMinor} />
                <td>
                  {r.account?.name ??
                    (r.role && r.role !== "deposit"
                      ? t("recon.notDeposit", { role: t(`recon.role.${r.role}`) })
                      : r.role
                        ? ""
                        : t("recon.unmapped"))}
                </td>
                <td class="num">{r.waiting}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** Taken and posted per day, side by side: a day whose bars differ stands out before reading numbers. */
function DailyChart({ report }: { report: ReconciliationResponse }) {
  const { t } = useUi();
  const days = [...new Set(report.rows.map((r) => r.date))];
  const sums = days.map((d) => {
    const rows = report.rows.filter((r) => r.date === d && r.role === "deposit");
    return {
      day: d,
      taken: rows.reduce((n, r) => n + r.takenMinor, 0),
      posted: rows.reduce((n, r) => n + (r.postedMinor ?? 0), 0),
    };
  });
  const max = Math.max(1, ...sums.flatMap((s) => [Math.abs(s.taken), Math.abs(s.posted)]));
  const w = 24;
  const h = 80;
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-label={t("recon.chart")}
        width={days.length * (2 * w + 12)}
        height={h + 20}
        data-testid="recon-chart"
      >
        {sums.map((s, i) => {
          const x = i * (2 * w + 12);
          const taken = (Math.abs(s.taken) / max) * h;
          const posted = (Math.abs(s.posted) / max) * h;
          return (
            <g>
              <title>
                {s.day}: {t("recon.taken")} {formatCents(s.taken)}, {t("recon.posted")} {formatCents(s.posted)}
              </title>
              <rect x={x} y={h - taken} width={w} height={taken} class="bar-taken" />
              <rect x={x + w} y={h - posted} width={w} height={posted} class="bar-posted" />
              <text x={x + w} y={h + 14} text-anchor="middle">
                {s.day.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="key key-taken" /> {t("recon.taken")} <span class="key key-posted" /> {t("recon.posted")}
      </figcaption>
    </figure>
  );
}

/** A difference line's name in the page's language ("balance" is the balance now); the Worker's label otherwise. */
function differenceName(t: ReturnType<typeof useUi>["t"], line: string, label: string): string {
  const key = line === "balance" ? "balanceNow" : line;
  return (LIABILITY_LINES as readonly string[]).includes(key)
    ? t(`liab.${key as (typeof LIABILITY_LINES)[number]}`)
    : label;
}

const LIABILITY_LINES = ["opening", "issued", "redeemed", "expired", "other", "closing", "balanceNow"] as const;

function Liabilities({ report }: { report: LiabilitiesResponse }) {
  const { t } = useUi();
  const cells = (l: LiabilityRow, line: (typeof LIABILITY_LINES)[number]) => {
    const pos = l.pos[`${line}Minor`];
    const posted = line === "issued" || line === "redeemed" || line === "expired" ? l.posted[`${line}Minor`] : null;
    const qbo = line === "balanceNow" ? l.qbo.balanceMinor : null;
    return { pos, posted, qbo };
  };
  const exportCsv = () =>
    download(
      `tillbridge-liabilities-${report.from}-${report.to}.csv`,
      toCsv([
        ["", t("liab.line"), t("liab.pos"), t("liab.posted"), t("liab.qbo")],
        ...report.liabilities.flatMap((l) =>
          LIABILITY_LINES.map((line) => {
            const c = cells(l, line);
            return [t(`liab.${l.liability}`), t(`liab.${line}`), csvMoney(c.pos), csvMoney(c.posted), csvMoney(c.qbo)];
          }),
        ),
      ]),
    );
  return (
    <>
      <div class="toolbar">
        <span class="muted">{t("reports.timeZone", { tz: report.timeZone })}</span>
        <button type="button" data-testid="liab-csv" onClick={exportCsv}>
          {t("reports.csv")}
        </button>
      </div>
      {report.liabilities.map((l) => {
        const differences = l.differences.filter((d) => d.diffMinor !== 0);
        return (
          <div class="liability" data-testid={`liab-${l.liability}`}>
            <h4>{t(`liab.${l.liability}`)}</h4>
            <p class="muted">{l.account ? t("liab.account", { name: l.account.name }) : t("liab.noAccount")}</p>
            <table class="grid">
              <thead>
                <tr>
                  <th scope="col">{t("liab.line")}</th>
                  <th scope="col" class="num">
                    {t("liab.pos")}
                  </th>
                  <th scope="col" class="num">
                    {t("liab.posted")}
                  </th>
                  <th scope="col" class="num">
                    {t("liab.qbo")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {LIABILITY_LINES.map((line) => {
                  const c = cells(l, line);
                  return (
                    <tr>
                      <th scope="row">{t(`liab.${line}`)}</th>
                      <Money cents={c.pos} />
                      <Money cents={c.posted} />
                      <Money cents={c.qbo} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {l.posted.waiting ? <p class="muted">{t("liab.waiting", { n: l.posted.waiting })}</p> : null}
            <p>
              <strong>{t("liab.differences")}:</strong>{" "}
              {differences.length
                ? differences
                    .map((d) => `${differenceName(t, d.line, d.label)} ${formatCents(d.diffMinor)}`)
                    .join(" · ")
                : t("liab.noDifference")}
            </p>
          </div>
        );
      })}
    </>
  );
}

function Drift() {
  const { t, lang } = useUi();
  const [drift, setDrift] = useState<DriftResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<DriftResponse>) => {
    setError(null);
    try {
      setDrift(await fn());
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void run(() => callApi("drift")), []);
  return (
    <div>
      <p class="section-help">{t("drift.help")}</p>
      <div class="toolbar">
        <button
          type="button"
          data-testid="drift-check"
          onClick={() => void run(() => callApi("driftCheck", { body: { scope: "next" } }))}
        >
          {t("drift.check")}
        </button>
      </div>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {drift ? (
        drift.documents.length === 0 ? (
          <p class="muted" data-testid="drift-none">
            {t("drift.none")}
          </p>
        ) : (
          <table class="grid" data-testid="drift-table">
            <thead>
              <tr>
                <th scope="col">{t("attention.object")}</th>
                <th scope="col">{t("drift.document")}</th>
                <th scope="col">{t("drift.status")}</th>
                <th scope="col">{t("drift.flagged")}</th>
              </tr>
            </thead>
            <tbody>
              {drift.documents.map((d) => (
                <tr data-testid="drift-row">
                  <th scope="row">{objectName(t, d.kind, d.posName ?? null, d.posId)}</th>
                  <td>
                    {d.entity} {d.docNumber ?? d.id}
                    {d.detail ? <div class="muted">{d.detail}</div> : null}
                  </td>
                  <td>{t(`drift.status.${d.status}`)}</td>
                  <td>{localTime(d.flaggedAt ?? d.checkedAt, drift.timeZone ?? "UTC", lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </div>
  );
}
