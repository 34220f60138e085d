import { FAMILY_ENTRIES } from "../../shared/mapping-catalog";
import { useUi } from "./context";
import { type Editor, type Notice, useMappingsEditor } from "./mappings/editor";
import { FamilySection } from "./mappings/families";
import { type Editing, pickerOptions } from "./mappings/fields";
import { FixedSections } from "./mappings/fixed";
import { Unmapped } from "./mappings/Unmapped";

/**
 * The mappings (SPEC §2), laid out from the mapping catalog (shared/mapping-catalog.ts): every POS
 * thing to its QBO thing, as drop-downs of the live lists, with suggestions, "create the standard
 * accounts and items", the unmapped list, and a save that uses the document's version so two people
 * editing at once cannot overwrite each other silently.
 */
export function MappingsSection() {
  const { t } = useUi();
  const editor = useMappingsEditor(t);
  const { draft, options } = editor;
  if (!draft || !options) {
    return (
      <div>
        {editor.busy ? <p>{t("common.loading")}</p> : null}
        <NoticeLine notice={editor.notice} />
      </div>
    );
  }
  const edit: Editing = {
    draft,
    options,
    suggestions: editor.suggestions,
    change: editor.change,
    fieldErrors: editor.fieldErrors,
  };
  const pickers = pickerOptions(options.qbo, t);
  const offline = !!options.offline;
  return (
    <div>
      {offline ? (
        <Offline fetchedAt={options.qbo.fetchedAt} />
      ) : (
        <Toolbar editor={editor} company={`${options.qbo.companyName} · ${options.qbo.country}`} />
      )}
      <NoticeLine notice={editor.notice} role="status" />
      {offline ? null : <Unmapped missing={editor.unmapped} />}
      {/* while QBO is offline the saved choices are shown, named from the last lists read, and not editable */}
      <fieldset class="bare" disabled={offline} data-testid="mappings-fields">
        {FAMILY_ENTRIES.map((entry) => (
          <FamilySection key={entry.path} edit={edit} entry={entry} pickers={pickers} />
        ))}
        <FixedSections edit={edit} pickers={pickers} />
      </fieldset>
      {offline ? null : (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="save-mappings"
            disabled={!!editor.busy}
            onClick={editor.save}
          >
            {t("map.save")}
          </button>
          {editor.doc ? <span class="muted">v{editor.doc.version}</span> : null}
        </div>
      )}
    </div>
  );
}

/** QBO cannot be read: why the choices cannot be changed, how old their names are, and where to reconnect. */
function Offline({ fetchedAt }: { fetchedAt: string }) {
  const { t, lang } = useUi();
  const at = Date.parse(fetchedAt);
  const when = Number.isNaN(at)
    ? null
    : new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", { dateStyle: "medium", timeStyle: "short" }).format(
        at,
      );
  return (
    <div class="notice notice-error" role="status" data-testid="mappings-offline">
      <p>
        <strong>{t("map.offline")}</strong> <a href="#connections">{t("map.reconnect")}</a>
      </p>
      <p class="muted">{when ? t("map.offlineLists", { when }) : t("map.offlineNoLists")}</p>
    </div>
  );
}

function Toolbar({ editor, company }: { editor: Editor; company: string }) {
  const { t } = useUi();
  return (
    <div class="toolbar">
      <button type="button" data-testid="reload-options" disabled={!!editor.busy} onClick={editor.reload}>
        {t("map.reload")}
      </button>
      <button type="button" data-testid="create-standard" disabled={!!editor.busy} onClick={editor.createStandard}>
        {t("map.createStandard")}
      </button>
      <span class="muted">{company}</span>
    </div>
  );
}

function NoticeLine({ notice, role }: { notice: Notice | null; role?: "status" }) {
  if (!notice) return null;
  return (
    <p class={`notice notice-${notice.kind}`} data-testid="mappings-notice" {...(role ? { role } : {})}>
      {notice.text}
    </p>
  );
}
