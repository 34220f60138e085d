import { z } from "zod";

/**
 * One error vocabulary, from the Worker's HTTP errors and the connectors' faults to the badge a
 * merchant reads. Each code carries its HTTP status, what the engine does about it, and the words
 * shown to a person (English and French) with what to do.
 */
export const ErrorCode = z.enum([
  // HTTP / API
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "internal",
  // OAuth and connections
  "oauth_state_invalid",
  "oauth_denied",
  "qbo_not_connected",
  "pos_not_connected",
  "qbo_needs_reconnect",
  "pos_needs_reconnect",
  "qbo_token_expired",
  "webhook_signature_invalid",
  // What blocks a posting until someone fixes something
  "needs_mapping",
  "needs_counted_totals",
  "closed_period",
  "waiting_for",
  "unsupported_event",
  // POS faults
  "pos_throttled",
  "pos_transient",
  "pos_payload_invalid",
  "pos_not_found",
  // QBO faults
  "qbo_throttled",
  "qbo_transient",
  "qbo_stale_object",
  "qbo_duplicate_name",
  "qbo_duplicate_doc_number",
  "qbo_invalid_reference",
  "qbo_validation",
  "qbo_subscription_lapsed",
  "qbo_forbidden",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What the sync engine does when a posting meets this error. Decided once, here. */
export type Decision =
  | "refresh_then_retry" // refresh the access token, retry once
  | "wait_then_retry" // throttled: wait for the window, then retry
  | "backoff" // transient: exponential backoff with jitter, capped
  | "after_fix" // blocked: retried by itself when the mapping/connection/data is fixed
  | "person" // rejected: needs a person; reason kept verbatim
  | "none"; // an API answer, not a sync outcome

/** The sync state an item lands in for this error (see shared/sync.ts). */
export type FailureState = "blocked" | "failed" | "rejected";

interface CodeInfo {
  status: number;
  decision: Decision;
  state?: FailureState;
  /** Where in the options page the fix lives (an anchor), if anywhere. */
  fixAt?: "connections" | "mappings" | "closures" | "audit";
  en: { title: string; action: string };
  fr: { title: string; action: string };
}

export const ERRORS: Record<ErrorCode, CodeInfo> = {
  bad_request: {
    status: 400,
    decision: "none",
    en: { title: "The request is not valid: {detail}", action: "Correct the fields named and try again." },
    fr: { title: "La requête n'est pas valide : {detail}", action: "Corrigez les champs indiqués et réessayez." },
  },
  unauthorized: {
    status: 401,
    decision: "none",
    fixAt: "connections",
    en: {
      title: "You are not signed in to Tillbridge.",
      action: "Open Tillbridge settings and connect your store again.",
    },
    fr: {
      title: "Vous n'êtes pas connecté à Tillbridge.",
      action: "Ouvrez les paramètres de Tillbridge et reconnectez votre boutique.",
    },
  },
  forbidden: {
    status: 403,
    decision: "none",
    en: { title: "This belongs to another store.", action: "Sign in with the store that owns it." },
    fr: { title: "Ceci appartient à une autre boutique.", action: "Connectez-vous avec la boutique concernée." },
  },
  not_found: {
    status: 404,
    decision: "none",
    en: { title: "Not found: {detail}", action: "Check the link or reload the page." },
    fr: { title: "Introuvable : {detail}", action: "Vérifiez le lien ou rechargez la page." },
  },
  conflict: {
    status: 409,
    decision: "none",
    en: { title: "This changed while you were working: {detail}", action: "Reload and try again." },
    fr: { title: "Ceci a changé pendant que vous travailliez : {detail}", action: "Rechargez et réessayez." },
  },
  payload_too_large: {
    status: 413,
    decision: "none",
    en: { title: "The request is too large.", action: "Send less data at once." },
    fr: { title: "La requête est trop volumineuse.", action: "Envoyez moins de données à la fois." },
  },
  unsupported_media_type: {
    status: 415,
    decision: "none",
    en: { title: "The request must be sent as {detail}.", action: "Send it with the right content type." },
    fr: { title: "La requête doit être envoyée en {detail}.", action: "Envoyez-la avec le bon type de contenu." },
  },
  rate_limited: {
    status: 429,
    decision: "none",
    en: { title: "Too many requests.", action: "Wait a minute and try again." },
    fr: { title: "Trop de requêtes.", action: "Attendez une minute et réessayez." },
  },
  internal: {
    status: 500,
    decision: "backoff",
    state: "failed",
    en: {
      title: "Something went wrong in Tillbridge (reference {detail}).",
      action: "It will be retried; if it persists, contact support with the reference.",
    },
    fr: {
      title: "Une erreur s'est produite dans Tillbridge (référence {detail}).",
      action: "Une nouvelle tentative aura lieu ; si cela persiste, contactez le support avec la référence.",
    },
  },
  oauth_state_invalid: {
    status: 400,
    decision: "none",
    fixAt: "connections",
    en: {
      title: "This connection link has expired or was already used.",
      action: "Start the connection again from Tillbridge settings.",
    },
    fr: {
      title: "Ce lien de connexion a expiré ou a déjà été utilisé.",
      action: "Recommencez la connexion depuis les paramètres de Tillbridge.",
    },
  },
  oauth_denied: {
    status: 400,
    decision: "none",
    fixAt: "connections",
    en: {
      title: "The connection was not authorised ({detail}).",
      action: "Start the connection again and approve access.",
    },
    fr: {
      title: "La connexion n'a pas été autorisée ({detail}).",
      action: "Recommencez la connexion et approuvez l'accès.",
    },
  },
  qbo_not_connected: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "connections",
    en: {
      title: "QuickBooks Online is not connected.",
      action: "Connect to QuickBooks in Tillbridge settings; waiting items will then be sent by themselves.",
    },
    fr: {
      title: "QuickBooks En ligne n'est pas connecté.",
      action:
        "Connectez QuickBooks dans les paramètres de Tillbridge ; les éléments en attente seront ensuite envoyés automatiquement.",
    },
  },
  pos_not_connected: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "connections",
    en: { title: "The Retail POS is not connected.", action: "Connect your store in Tillbridge settings." },
    fr: {
      title: "Le Retail POS n'est pas connecté.",
      action: "Connectez votre boutique dans les paramètres de Tillbridge.",
    },
  },
  qbo_needs_reconnect: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "connections",
    en: {
      title: "The QuickBooks Online connection has ended ({detail}).",
      action: "Reconnect to QuickBooks in Tillbridge settings; waiting items will then be sent by themselves.",
    },
    fr: {
      title: "La connexion à QuickBooks En ligne a pris fin ({detail}).",
      action:
        "Reconnectez QuickBooks dans les paramètres de Tillbridge ; les éléments en attente seront ensuite envoyés automatiquement.",
    },
  },
  pos_needs_reconnect: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "connections",
    en: {
      title: "The Retail POS connection has ended ({detail}).",
      action: "Reconnect your store in Tillbridge settings.",
    },
    fr: {
      title: "La connexion au Retail POS a pris fin ({detail}).",
      action: "Reconnectez votre boutique dans les paramètres de Tillbridge.",
    },
  },
  qbo_token_expired: {
    status: 401,
    decision: "refresh_then_retry",
    state: "failed",
    en: { title: "The QuickBooks Online access token expired.", action: "Tillbridge refreshes it by itself." },
    fr: {
      title: "Le jeton d'accès QuickBooks En ligne a expiré.",
      action: "Tillbridge le renouvelle automatiquement.",
    },
  },
  webhook_signature_invalid: {
    status: 401,
    decision: "none",
    en: {
      title: "The webhook signature does not match.",
      action: "Check the webhook secret configured for this store.",
    },
    fr: {
      title: "La signature du webhook ne correspond pas.",
      action: "Vérifiez le secret de webhook configuré pour cette boutique.",
    },
  },
  needs_mapping: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "mappings",
    en: {
      title: "{detail} is not mapped.",
      action: "Map it in Tillbridge settings; this will then be sent by itself.",
    },
    fr: {
      title: "{detail} n'est pas associé.",
      action: "Associez-le dans les paramètres de Tillbridge ; l'envoi se fera ensuite automatiquement.",
    },
  },
  needs_counted_totals: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "closures",
    en: {
      title: "The counted totals of this closure are not known yet.",
      action: "Open this closure's summary page in the back office once; Tillbridge reads the counted totals from it.",
    },
    fr: {
      title: "Les montants comptés de cette fermeture ne sont pas encore connus.",
      action:
        "Ouvrez une fois la page de résumé de cette fermeture dans le back-office ; Tillbridge y lira les montants comptés.",
    },
  },
  closed_period: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "closures",
    en: {
      title: "The books are closed on {detail} in QuickBooks Online.",
      action: "Move the closing date in QuickBooks Online, or choose to post into the first open day.",
    },
    fr: {
      title: "Les livres sont fermés au {detail} dans QuickBooks En ligne.",
      action:
        "Déplacez la date de clôture dans QuickBooks En ligne, ou choisissez de comptabiliser au premier jour ouvert.",
    },
  },
  waiting_for: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    en: { title: "Waiting for {detail} to be posted first.", action: "Nothing to do: this is sent right after it." },
    fr: {
      title: "En attente de la comptabilisation de {detail}.",
      action: "Rien à faire : l'envoi suivra automatiquement.",
    },
  },
  unsupported_event: {
    status: 422,
    decision: "person",
    state: "rejected",
    en: {
      title: "Tillbridge cannot post this yet: {detail}",
      action: "Record it by hand in QuickBooks Online, then mark it as handled.",
    },
    fr: {
      title: "Tillbridge ne peut pas encore comptabiliser ceci : {detail}",
      action: "Saisissez-le à la main dans QuickBooks En ligne, puis marquez-le comme traité.",
    },
  },
  pos_throttled: {
    status: 503,
    decision: "wait_then_retry",
    state: "failed",
    en: {
      title: "The Retail POS asked Tillbridge to slow down.",
      action: "Nothing to do: it will be retried shortly.",
    },
    fr: {
      title: "Le Retail POS a demandé à Tillbridge de ralentir.",
      action: "Rien à faire : une nouvelle tentative aura lieu sous peu.",
    },
  },
  pos_transient: {
    status: 502,
    decision: "backoff",
    state: "failed",
    en: { title: "The Retail POS did not answer properly ({detail}).", action: "Nothing to do: it will be retried." },
    fr: {
      title: "Le Retail POS n'a pas répondu correctement ({detail}).",
      action: "Rien à faire : une nouvelle tentative aura lieu.",
    },
  },
  pos_payload_invalid: {
    status: 422,
    decision: "person",
    state: "rejected",
    en: {
      title: "The Retail POS sent data Tillbridge cannot read: {detail}",
      action: "Check this object in the back office; contact support if it looks right.",
    },
    fr: {
      title: "Le Retail POS a envoyé des données illisibles : {detail}",
      action: "Vérifiez cet objet dans le back-office ; contactez le support s'il semble correct.",
    },
  },
  pos_not_found: {
    status: 404,
    decision: "person",
    state: "rejected",
    en: {
      title: "The Retail POS no longer has this object ({detail}).",
      action: "It may have been deleted; nothing will be posted.",
    },
    fr: {
      title: "Le Retail POS n'a plus cet objet ({detail}).",
      action: "Il a peut-être été supprimé ; rien ne sera comptabilisé.",
    },
  },
  qbo_throttled: {
    status: 503,
    decision: "wait_then_retry",
    state: "failed",
    en: {
      title: "QuickBooks Online asked Tillbridge to slow down.",
      action: "Nothing to do: it will be sent within a minute or two.",
    },
    fr: {
      title: "QuickBooks En ligne a demandé à Tillbridge de ralentir.",
      action: "Rien à faire : l'envoi aura lieu d'ici une minute ou deux.",
    },
  },
  qbo_transient: {
    status: 502,
    decision: "backoff",
    state: "failed",
    en: {
      title: "QuickBooks Online did not answer properly ({detail}).",
      action: "Nothing to do: Tillbridge checks whether it was recorded and retries.",
    },
    fr: {
      title: "QuickBooks En ligne n'a pas répondu correctement ({detail}).",
      action: "Rien à faire : Tillbridge vérifie si l'envoi a été enregistré et réessaie.",
    },
  },
  qbo_stale_object: {
    status: 409,
    decision: "backoff",
    state: "failed",
    en: {
      title: "The document changed in QuickBooks Online while Tillbridge was updating it.",
      action: "Nothing to do: Tillbridge re-reads it and retries.",
    },
    fr: {
      title: "Le document a changé dans QuickBooks En ligne pendant la mise à jour.",
      action: "Rien à faire : Tillbridge le relit et réessaie.",
    },
  },
  qbo_duplicate_name: {
    status: 409,
    decision: "person",
    state: "rejected",
    en: {
      title: "QuickBooks Online already has a customer, vendor or employee named {detail}.",
      action: "Rename one of them in QuickBooks Online, then retry.",
    },
    fr: {
      title: "QuickBooks En ligne a déjà un client, fournisseur ou employé nommé {detail}.",
      action: "Renommez l'un d'eux dans QuickBooks En ligne, puis réessayez.",
    },
  },
  qbo_duplicate_doc_number: {
    status: 409,
    decision: "backoff",
    state: "failed",
    en: {
      title: "QuickBooks Online already has document number {detail}.",
      action: "Nothing to do: Tillbridge looks it up and adopts it if it is this posting.",
    },
    fr: {
      title: "QuickBooks En ligne a déjà le numéro de document {detail}.",
      action: "Rien à faire : Tillbridge le retrouve et le reprend s'il s'agit de cet envoi.",
    },
  },
  qbo_invalid_reference: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "mappings",
    en: {
      title: "Something mapped is inactive or deleted in QuickBooks Online: {detail}",
      action:
        "Reactivate it in QuickBooks Online or choose another in Tillbridge settings; this will then be sent by itself.",
    },
    fr: {
      title: "Un élément associé est inactif ou supprimé dans QuickBooks En ligne : {detail}",
      action:
        "Réactivez-le dans QuickBooks En ligne ou choisissez-en un autre dans les paramètres de Tillbridge ; l'envoi se fera ensuite automatiquement.",
    },
  },
  qbo_validation: {
    status: 422,
    decision: "person",
    state: "rejected",
    en: {
      title: "QuickBooks Online refused this: {detail}",
      action: "Correct what QuickBooks Online names, then retry.",
    },
    fr: {
      title: "QuickBooks En ligne a refusé ceci : {detail}",
      action: "Corrigez ce que QuickBooks En ligne indique, puis réessayez.",
    },
  },
  qbo_subscription_lapsed: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "connections",
    en: {
      title: "The QuickBooks Online subscription is not active.",
      action: "Renew the subscription in QuickBooks Online; waiting items will then be sent by themselves.",
    },
    fr: {
      title: "L'abonnement QuickBooks En ligne n'est pas actif.",
      action:
        "Renouvelez l'abonnement QuickBooks En ligne ; les éléments en attente seront ensuite envoyés automatiquement.",
    },
  },
  qbo_forbidden: {
    status: 409,
    decision: "after_fix",
    state: "blocked",
    fixAt: "connections",
    en: {
      title: "QuickBooks Online refused access ({detail}).",
      action:
        "Reconnect with a QuickBooks Online administrator, or check that the app keys match the company's environment.",
    },
    fr: {
      title: "QuickBooks En ligne a refusé l'accès ({detail}).",
      action:
        "Reconnectez-vous avec un administrateur QuickBooks En ligne, ou vérifiez que les clés de l'application correspondent à l'environnement de l'entreprise.",
    },
  },
};

export const Lang = z.enum(["en", "fr"]);
export type Lang = z.infer<typeof Lang>;

/** The error body every Worker route answers with, and the reason a badge shows. */
export const ApiError = z.object({
  error: z.object({
    code: ErrorCode,
    /** Plain-language message (in the request's language) */
    message: z.string(),
    /** What the person should do */
    action: z.string(),
    /** Machine detail: field names, the verbatim QBO message, ids */
    detail: z.string().optional(),
    fields: z.record(z.string(), z.string()).optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export function describeError(code: ErrorCode, detail: string | undefined, lang: Lang = "en") {
  const info = ERRORS[code];
  const words = info[lang];
  const fill = (s: string) => s.replace("{detail}", detail ?? "");
  return {
    message: fill(words.title)
      .replace(/\s*\(\)/, "")
      .replace(/:\s*$/, ""),
    action: fill(words.action),
    fixAt: info.fixAt,
  };
}

/**
 * The one error class. Thrown by routes, connectors and the engine; turned into an ApiError body by
 * the Worker's single onError, and into a badge reason by the sync engine.
 */
export class TillbridgeError extends Error {
  override name = "TillbridgeError";
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra: {
      fields?: Record<string, string>;
      retryAfterSeconds?: number;
      /** The mapping whose fix heals this (needs_mapping, qbo_invalid_reference), e.g. "paymentTypes.<id>" */
      mappingKey?: string;
      /** A write whose outcome is unknown (timeout, 5xx): look the document up before sending again */
      unknownOutcome?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(`${code}${detail ? `: ${detail}` : ""}`);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
  get decision(): Decision {
    return ERRORS[this.code].decision;
  }
}
