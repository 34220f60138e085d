import { useEffect, useState } from "preact/hooks";
import type { MeResponse } from "../../shared/api";
import type { Lang } from "../../shared/errors";
import { ask, callApi } from "../ask";
import { optionsTranslator } from "../i18n/options";
import type { Replies } from "../messaging";
import { AttentionSection } from "./Attention";
import { AuditSection } from "./Audit";
import { BackfillSection } from "./Backfill";
import { ConnectionsSection } from "./Connections";
import { DigestSection } from "./Digest";
import { Ui, useUi } from "./context";
import { useSettingsChanged } from "./live";
import { MappingsSection } from "./Mappings";
import { PreviewSection } from "./Preview";
import { ReportsSection } from "./Reports";
import { SetupSection } from "./Setup";

const SECTIONS = ["setup", "connections", "attention", "mappings", "reports", "closures", "audit", "backfill"] as const;

/** The options page: one anchor per section (#connections, #mappings, #closures, #audit, #backfill) so badges can link to the fix. */
export function OptionsApp() {
  const [state, setState] = useState<Replies["state"] | null>(null);
  const [me, setMe] = useState<MeResponse | null>(null);
  const [lang, setLang] = useState<Lang>("en");
  const [attention, setAttention] = useState<number | null>(null);
  // bumped when the setup changed the mappings: the editor below reads them again
  const [mappingsKey, setMappingsKey] = useState(0);

  const refresh = async () => {
    const s = await ask("state", {});
    setState(s);
    setLang(s.lang);
    setMe(s.session ? await callApi("me").catch(() => null) : null);
  };
  useEffect(() => {
    void refresh();
    // Coming back from the connect tab: show the new connection.
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);
  // A connection made in another tab, settings saved elsewhere: the background says so.
  useSettingsChanged(() => void refresh());
  useEffect(() => {
    const id = location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView();
  }, [state !== null]);

  const t = optionsTranslator(lang);
  const changeLang = async (l: Lang) => {
    setLang(l);
    await ask("setLang", { lang: l });
  };

  return (
    <Ui.Provider value={{ lang, t }}>
      <Header lang={lang} onLang={(l) => void changeLang(l)} attention={state?.session ? attention : null} />
      <section id="setup">
        <h2>{t("setup.title")}</h2>
        {state ? (
          <SetupSection session={state.session} me={me} onMappingsChanged={() => setMappingsKey((k) => k + 1)} />
        ) : (
          <p>{t("common.loading")}</p>
        )}
      </section>
      <section id="connections">
        <h2>{t("nav.connections")}</h2>
        {state ? (
          <ConnectionsSection session={state.session} me={me} onChange={() => void refresh()} />
        ) : (
          <p>{t("common.loading")}</p>
        )}
      </section>
      {state?.session ? <SignedInSections onAttention={setAttention} mappingsKey={mappingsKey} /> : null}
    </Ui.Provider>
  );
}

function Header({
  lang,
  onLang,
  attention,
}: {
  lang: Lang;
  onLang: (lang: Lang) => void;
  /** How many objects need attention, once known */
  attention: number | null;
}) {
  const { t } = useUi();
  return (
    <>
      <header class="top">
        <h1>{t("options.title")}</h1>
        <label>
          {t("options.language")}{" "}
          <select
            data-testid="lang"
            value={lang}
            onChange={(e) => onLang((e.currentTarget as HTMLSelectElement).value as Lang)}
          >
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </label>
      </header>
      <nav class="sections">
        {SECTIONS.map((s) => (
          <a href={`#${s}`}>
            {t(`nav.${s}`)}
            {s === "attention" && attention ? (
              <span class="count" data-testid="attention-count">
                {attention}
              </span>
            ) : null}
          </a>
        ))}
      </nav>
    </>
  );
}

/** What needs a connected store: mappings, preview, audit log, backfill. */
function SignedInSections({ onAttention, mappingsKey }: { onAttention: (n: number) => void; mappingsKey: number }) {
  const { t } = useUi();
  return (
    <>
      <section id="attention">
        <h2>{t("attention.title")}</h2>
        <AttentionSection onCount={onAttention} />
      </section>
      <section id="digest">
        <h2>{t("digest.title")}</h2>
        <DigestSection />
      </section>
      <section id="mappings">
        <h2>{t("nav.mappings")}</h2>
        <MappingsSection key={mappingsKey} />
      </section>
      <section id="reports">
        <h2>{t("reports.title")}</h2>
        <ReportsSection />
      </section>
      <section id="closures">
        <h2>{t("preview.title")}</h2>
        <PreviewSection />
      </section>
      <section id="audit">
        <h2>{t("audit.title")}</h2>
        <AuditSection />
      </section>
      <section id="backfill">
        <h2>{t("backfill.title")}</h2>
        <BackfillSection />
      </section>
    </>
  );
}
