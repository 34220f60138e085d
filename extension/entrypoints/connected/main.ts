import { ask } from "../../ask";
import { langOf } from "../../i18n";
import { optionsTranslator as translator } from "../../i18n/options";

// Where the Worker sends the browser back after connecting (#code=… for the POS, #qbo=… for QBO).
// The background finishes the flow; the code leaves the address bar and history at once.
const message = document.getElementById("message")!;
const hash = location.hash;
history.replaceState(null, "", location.pathname);

void (async () => {
  const prefs = await ask("prefs", {}).catch(() => ({ lang: langOf(navigator.language) }));
  const t = translator(prefs.lang);
  document.title = `Tillbridge — ${t("connected.working")}`;
  message.textContent = t("connected.working");
  try {
    const done = await ask("completeConnect", { hash });
    message.textContent = done.system === "pos" ? t("connected.pos") : t("connected.qbo");
    message.dataset.state = "connected";
  } catch (e) {
    const body = (e as { body?: { message: string; action: string } }).body;
    message.textContent = t("connected.failed", { reason: body ? `${body.message} ${body.action}` : String(e) });
    message.dataset.state = "failed";
  }
})();
