import { type Context, Hono } from "hono";
import type { Lang } from "../../shared/errors";
import type { AppContext } from "../app";

/**
 * The three pages Intuit's app settings point at (docs/GOING-LIVE.md): Launch (where "Open app"
 * in QuickBooks lands), Disconnect (where a merchant lands after disconnecting Tillbridge from
 * QuickBooks' Apps tab) and Reconnect (Intuit's mandatory reconnect page). Static text, EN/FR by
 * `?lang=` or Accept-Language. They change nothing: a disconnect made on Intuit's side revokes the
 * tokens there, and the Worker notices at its next token refresh (the connection becomes
 * needs_reconnect). Acting on an unauthenticated `realmId` here would let anyone disconnect anyone.
 */

type Page = "launch" | "disconnected" | "reconnect";

const RECONNECT: Record<Lang, string[]> = {
  en: [
    "Open your Retail POS back office in the browser where Tillbridge is installed.",
    "Click the Tillbridge icon, then Settings.",
    "Under Connections, click Connect to QuickBooks and approve access to your company.",
    "Everything that waited while Tillbridge was disconnected is then sent by itself.",
  ],
  fr: [
    "Ouvrez le back-office de votre Retail POS dans le navigateur où Tillbridge est installé.",
    "Cliquez sur l'icône de Tillbridge, puis sur Paramètres.",
    "Sous Connexions, cliquez sur Se connecter à QuickBooks et autorisez l'accès à votre entreprise.",
    "Tout ce qui attendait pendant la déconnexion est ensuite envoyé automatiquement.",
  ],
};

const TEXT: Record<Lang, Record<Page, { title: string; lead: string; steps: string[] }>> = {
  en: {
    launch: {
      title: "Tillbridge works inside your Retail POS back office",
      lead: "Tillbridge records your register closures, on-account sales, payments and purchase orders in QuickBooks Online from the Lightspeed Retail (X-Series) back office.",
      steps: [
        "Install the Tillbridge extension for Chrome or Firefox.",
        "Open Tillbridge settings from the extension and connect your store.",
        "Click Connect to QuickBooks, then map your accounts.",
      ],
    },
    disconnected: {
      title: "Tillbridge is disconnected from QuickBooks Online",
      lead: "Nothing already in your books was changed. New postings wait in Tillbridge until you reconnect; none are lost.",
      steps: RECONNECT.en,
    },
    reconnect: {
      title: "Reconnect Tillbridge to QuickBooks Online",
      lead: "Your settings and mappings are kept.",
      steps: RECONNECT.en,
    },
  },
  fr: {
    launch: {
      title: "Tillbridge fonctionne dans le back-office de votre Retail POS",
      lead: "Tillbridge inscrit vos fermetures de caisse, ventes à compte, paiements et bons de commande dans QuickBooks En ligne depuis le back-office de Lightspeed Retail (X-Series).",
      steps: [
        "Installez l'extension Tillbridge pour Chrome ou Firefox.",
        "Ouvrez les paramètres de Tillbridge depuis l'extension et connectez votre boutique.",
        "Cliquez sur Se connecter à QuickBooks, puis associez vos comptes.",
      ],
    },
    disconnected: {
      title: "Tillbridge est déconnecté de QuickBooks En ligne",
      lead: "Rien de ce qui est déjà dans vos livres n'a changé. Les nouvelles écritures attendent dans Tillbridge jusqu'à la reconnexion ; aucune n'est perdue.",
      steps: RECONNECT.fr,
    },
    reconnect: {
      title: "Reconnecter Tillbridge à QuickBooks En ligne",
      lead: "Vos paramètres et vos associations sont conservés.",
      steps: RECONNECT.fr,
    },
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function intuitPage(page: Page, lang: Lang): string {
  const t = TEXT[lang][page];
  const steps = t.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join("");
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}h1{font-size:1.5rem}</style></head>
<body><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.lead)}</p><ol>${steps}</ol></body></html>`;
}

const serve = (page: Page) => (c: Context<AppContext>) => {
  c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
  c.header("cache-control", "no-cache");
  c.header("referrer-policy", "no-referrer");
  return c.html(intuitPage(page, c.get("lang")));
};

export const intuitPages = new Hono<AppContext>()
  .get("/launch", serve("launch"))
  .get("/disconnected", serve("disconnected"))
  .get("/reconnect", serve("reconnect"));
