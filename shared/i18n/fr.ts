import type { ReasonKey, SettingKey } from "./en";

/** The words both programs say, in French: every key of en.ts (the types enforce it). */
export const reasons: Record<ReasonKey, string> = {
  // ---- error reasons (shared/errors.ts): a title with {detail}, and what to do ----
  "error.bad_request.title": "La requête n'est pas valide : {detail}",
  "error.bad_request.action": "Corrigez les champs indiqués et réessayez.",
  "error.unauthorized.title": "Vous n'êtes pas connecté à Tillbridge.",
  "error.unauthorized.action": "Ouvrez les paramètres de Tillbridge et reconnectez votre boutique.",
  "error.forbidden.title": "Ceci appartient à une autre boutique.",
  "error.forbidden.action": "Connectez-vous avec la boutique concernée.",
  "error.not_found.title": "Introuvable : {detail}",
  "error.not_found.action": "Vérifiez le lien ou rechargez la page.",
  "error.conflict.title": "Ceci a changé pendant que vous travailliez : {detail}",
  "error.conflict.action": "Rechargez et réessayez.",
  "error.payload_too_large.title": "La requête est trop volumineuse.",
  "error.payload_too_large.action": "Envoyez moins de données à la fois.",
  "error.unsupported_media_type.title": "La requête doit être envoyée en {detail}.",
  "error.unsupported_media_type.action": "Envoyez-la avec le bon type de contenu.",
  "error.rate_limited.title": "Trop de requêtes.",
  "error.rate_limited.action": "Attendez une minute et réessayez.",
  "error.tenant_moving.title": "Tillbridge déplace les données de ce magasin vers une autre base de données.",
  "error.tenant_moving.action": "Rien n'est perdu ; réessayez dans une minute.",
  "error.internal.title": "Une erreur s'est produite dans Tillbridge (référence {detail}).",
  "error.internal.action":
    "Une nouvelle tentative aura lieu ; si cela persiste, contactez le support avec la référence.",
  "error.oauth_state_invalid.title": "Ce lien de connexion a expiré ou a déjà été utilisé.",
  "error.oauth_state_invalid.action": "Recommencez la connexion depuis les paramètres de Tillbridge.",
  "error.oauth_denied.title": "La connexion n'a pas été autorisée ({detail}).",
  "error.oauth_denied.action": "Recommencez la connexion et approuvez l'accès.",
  "error.qbo_not_connected.title": "QuickBooks En ligne n'est pas connecté.",
  "error.qbo_not_connected.action":
    "Connectez QuickBooks dans les paramètres de Tillbridge ; les éléments en attente seront ensuite envoyés automatiquement.",
  "error.pos_not_connected.title": "Le Retail POS n'est pas connecté.",
  "error.pos_not_connected.action": "Connectez votre boutique dans les paramètres de Tillbridge.",
  "error.qbo_needs_reconnect.title": "La connexion à QuickBooks En ligne a pris fin ({detail}).",
  "error.qbo_needs_reconnect.action":
    "Reconnectez QuickBooks dans les paramètres de Tillbridge ; les éléments en attente seront ensuite envoyés automatiquement.",
  "error.pos_needs_reconnect.title": "La connexion au Retail POS a pris fin ({detail}).",
  "error.pos_needs_reconnect.action": "Reconnectez votre boutique dans les paramètres de Tillbridge.",
  "error.qbo_token_expired.title": "Le jeton d'accès QuickBooks En ligne a expiré.",
  "error.qbo_token_expired.action": "Tillbridge le renouvelle automatiquement.",
  "error.webhook_signature_invalid.title": "La signature du webhook ne correspond pas.",
  "error.webhook_signature_invalid.action": "Vérifiez le secret de webhook configuré pour cette boutique.",
  "error.needs_mapping.title": "Aucune correspondance n'est choisie pour {detail}.",
  "error.needs_mapping.action":
    "Choisissez-la dans les paramètres de Tillbridge ; l'envoi se fera ensuite automatiquement.",
  "error.needs_counted_totals.title": "Les montants comptés de cette fermeture ne sont pas encore connus.",
  "error.needs_counted_totals.action":
    "Ouvrez une fois la page de résumé de cette fermeture dans le back-office ; Tillbridge y lira les montants comptés.",
  "error.closed_period.title": "Les livres sont fermés au {detail} dans QuickBooks En ligne.",
  "error.closed_period.action":
    "Déplacez la date de clôture dans QuickBooks En ligne, ou choisissez de comptabiliser au premier jour ouvert.",
  "error.waiting_for.title": "En attente de la comptabilisation de {detail}.",
  "error.waiting_for.action": "Rien à faire : l'envoi suivra automatiquement.",
  "error.credit_applied.title":
    "Un crédit au compte que Tillbridge a appliqué est lié à ce document ({detail}), et un nouvel envoi ne peut pas encore l'appliquer de nouveau.",
  "error.credit_applied.action":
    "Dans QuickBooks En ligne, supprimez le paiement qui applique le crédit ; renvoyez ensuite cet objet, puis renvoyez le crédit.",
  "error.not_live.title":
    "Tillbridge n'est pas encore en service pour ce magasin : rien n'est envoyé à QuickBooks En ligne sans votre accord.",
  "error.not_live.action":
    "Vérifiez l'aperçu de la première fermeture dans la configuration de Tillbridge, puis choisissez Mettre en service.",
  "error.unsupported_event.title": "Tillbridge ne peut pas encore comptabiliser ceci : {detail}",
  "error.unsupported_event.action": "Saisissez-le à la main dans QuickBooks En ligne, puis marquez-le comme traité.",
  "error.pos_throttled.title": "Le Retail POS a demandé à Tillbridge de ralentir.",
  "error.pos_throttled.action": "Rien à faire : une nouvelle tentative aura lieu sous peu.",
  "error.pos_transient.title": "Le Retail POS n'a pas répondu correctement ({detail}).",
  "error.pos_transient.action": "Rien à faire : une nouvelle tentative aura lieu.",
  "error.pos_payload_invalid.title": "Le Retail POS a envoyé des données illisibles : {detail}",
  "error.pos_payload_invalid.action":
    "Vérifiez cet objet dans le back-office ; contactez le support s'il semble correct.",
  "error.pos_not_found.title": "Le Retail POS n'a plus cet objet ({detail}).",
  "error.pos_not_found.action": "Il a peut-être été supprimé ; rien ne sera comptabilisé.",
  "error.pos_not_read_yet.title": "Tillbridge n'a pas encore lu cet objet du Retail POS ({detail}).",
  "error.pos_not_read_yet.action":
    "Il est lu dès que le POS l'annonce ou au prochain passage, d'ici une minute ; regardez de nouveau ensuite.",
  "error.qbo_throttled.title": "QuickBooks En ligne a demandé à Tillbridge de ralentir.",
  "error.qbo_throttled.action": "Rien à faire : l'envoi aura lieu d'ici une minute ou deux.",
  "error.qbo_transient.title": "QuickBooks En ligne n'a pas répondu correctement ({detail}).",
  "error.qbo_transient.action": "Rien à faire : Tillbridge vérifie si l'envoi a été enregistré et réessaie.",
  "error.qbo_stale_object.title": "Le document a changé dans QuickBooks En ligne pendant la mise à jour.",
  "error.qbo_stale_object.action": "Rien à faire : Tillbridge le relit et réessaie.",
  "error.qbo_duplicate_name.title": "QuickBooks En ligne a déjà un client, fournisseur ou employé nommé {detail}.",
  "error.qbo_duplicate_name.action": "Renommez l'un d'eux dans QuickBooks En ligne, puis réessayez.",
  "error.qbo_duplicate_doc_number.title": "QuickBooks En ligne a déjà le numéro de document {detail}.",
  "error.qbo_duplicate_doc_number.action":
    "Rien à faire : Tillbridge le retrouve et le reprend s'il s'agit de cet envoi.",
  "error.qbo_invalid_reference.title": "Un élément associé est inactif ou supprimé dans QuickBooks En ligne : {detail}",
  "error.qbo_invalid_reference.action":
    "Réactivez-le dans QuickBooks En ligne ou choisissez-en un autre dans les paramètres de Tillbridge ; l'envoi se fera ensuite automatiquement.",
  "error.qbo_validation.title": "QuickBooks En ligne a refusé ceci : {detail}",
  "error.qbo_validation.action": "Corrigez ce que QuickBooks En ligne indique, puis réessayez.",
  "error.qbo_subscription_lapsed.title": "L'abonnement QuickBooks En ligne n'est pas actif.",
  "error.qbo_subscription_lapsed.action":
    "Renouvelez l'abonnement QuickBooks En ligne ; les éléments en attente seront ensuite envoyés automatiquement.",
  "error.qbo_forbidden.title": "QuickBooks En ligne a refusé l'accès ({detail}).",
  "error.qbo_forbidden.action":
    "Reconnectez-vous avec un administrateur QuickBooks En ligne, ou vérifiez que les clés de l'application correspondent à l'environnement de l'entreprise.",

  // ---- what a reason is about (About in shared/errors.ts) ----
  "about.problem": "{thing} : {problem}",
  "about.optional": "{thing} (facultatif)",
  "list.separator": " ; ",
  "list.or": " ou ",
  "list.more": "et {n} de plus",
  "problem.gone.account": "le compte QBO {id} n'existe plus",
  "problem.gone.item": "le produit/service QBO {id} n'existe plus",
  "problem.gone.taxCode": "le code de taxe QBO {id} n'existe plus",
  "problem.gone.class": "la classe QBO {id} n'existe pas",
  "problem.gone.location": "l'emplacement QBO {id} n'existe pas",
  "problem.gone.customer": "le client QBO {id} n'existe plus",
  "problem.inactive.account": "le compte QBO « {name} » est inactif",
  "problem.inactive.item": "le produit/service QBO « {name} » est inactif",
  "problem.inactive.taxCode": "le code de taxe QBO « {name} » est inactif",
  "problem.inactive.class": "la classe QBO « {name} » est inactive",
  "problem.inactive.location": "l'emplacement QBO « {name} » est inactif",
  "problem.inactive.customer": "le client QBO « {name} » est inactif",
  "problem.wrongType.account": "le compte QBO « {name} » est de type {type} ; il doit être de type {allowed}",
  "problem.wrongType.item": "le produit/service QBO « {name} » est de type {type} ; il doit être de type {allowed}",
  "problem.chargesTax": "le code de taxe QBO « {name} » applique une taxe",
  "problem.noIncomeAccount": "le produit/service QBO « {name} » n'a pas de compte de revenus",
  "problem.postsElsewhere":
    "le produit/service QBO « {name} » est imputé au compte « {postsTo} » ; il doit l'être à celui choisi comme {account} (« {accountName} »)",

  // ---- QBO account and item types, as QuickBooks Online names them ----
  "qbo.type.Bank": "Banque",
  "qbo.type.Other Current Asset": "Autres actifs à court terme",
  "qbo.type.Fixed Asset": "Immobilisations",
  "qbo.type.Other Asset": "Autres actifs",
  "qbo.type.Accounts Receivable": "Comptes clients",
  "qbo.type.Equity": "Capitaux propres",
  "qbo.type.Expense": "Charges",
  "qbo.type.Other Expense": "Autres charges",
  "qbo.type.Cost of Goods Sold": "Coût des marchandises vendues",
  "qbo.type.Accounts Payable": "Comptes fournisseurs",
  "qbo.type.Credit Card": "Carte de crédit",
  "qbo.type.Long Term Liability": "Passif à long terme",
  "qbo.type.Other Current Liability": "Autres passifs à court terme",
  "qbo.type.Income": "Revenus",
  "qbo.type.Other Income": "Autres revenus",
  "qbo.type.Service": "Service",
  "qbo.type.NonInventory": "Hors stock",
  "qbo.type.Inventory": "Stock",
  "qbo.type.Category": "Catégorie",
  "qbo.type.Group": "Groupe",
  "qbo.type.Bundle": "Ensemble",

  // ---- each mapping of the catalog (shared/mapping-catalog.ts) as a sentence names it ----
  "mapping.categories.thing": "la catégorie « {name} »",
  "mapping.categories.thingDeleted": "la catégorie « {name} » (supprimée)",
  "mapping.paymentTypes.thing": "le mode de paiement « {name} »",
  "mapping.paymentTypes.thingDeleted": "le mode de paiement « {name} » (supprimé)",
  "mapping.taxes.thing": "la taxe du POS « {name} »",
  "mapping.taxes.thingDeleted": "la taxe du POS « {name} » (supprimée)",
  "mapping.outlets.thing": "le point de vente « {name} »",
  "mapping.outlets.thingDeleted": "le point de vente « {name} » (supprimé)",
  "mapping.adjustmentTypes.thing": "le type de frais POS « {name} »",
  "mapping.adjustmentTypes.thingDeleted": "le type de frais POS « {name} » (plus utilisé)",
  "mapping.items.discount.thing": "l'article des remises accordées",
  "mapping.items.giftCardLiability.thing": "le service de passif des cartes-cadeaux",
  "mapping.items.storeCreditLiability.thing": "le service de passif du crédit en magasin",
  "mapping.items.tillDiscrepancy.thing": "l'article des écarts de caisse",
  "mapping.items.rounding.thing": "l'article d'arrondi",
  "mapping.items.tips.thing": "le service des pourboires",
  "mapping.items.surcharge.thing": "l'article des suppléments et frais",
  "mapping.items.customCharge.thing": "l'article des frais personnalisés",
  "mapping.accounts.closureClearing.thing": "le compte d'attente des fermetures",
  "mapping.accounts.giftCardLiability.thing": "le compte de passif des cartes-cadeaux",
  "mapping.accounts.giftCardBreakage.thing": "le compte de revenus des cartes-cadeaux expirées",
  "mapping.accounts.storeCreditLiability.thing": "le compte de passif du crédit en magasin",
  "mapping.accounts.storeCreditExpense.thing": "le compte de charge du crédit en magasin",
  "mapping.accounts.tipsPayable.thing": "le compte des pourboires à payer",
  "mapping.accounts.loyalty.thing": "le compte des récompenses de fidélité",
  "mapping.accounts.inventoryAsset.thing": "le compte d'actif des stocks",
  "mapping.accounts.shipping.thing": "le compte des frais de livraison (achats)",
  "mapping.accounts.purchaseDiscount.thing": "le compte des escomptes sur achats",
  "mapping.accounts.duties.thing": "le compte des droits de douane",
  "mapping.accounts.accountsPayable.thing": "le compte fournisseurs",
  "mapping.accounts.cogs.thing": "le compte du coût des marchandises vendues",
  "mapping.shrinkage.default.thing": "le compte de démarque par défaut",
  "mapping.shrinkage.stocktake.thing": "le compte de démarque des inventaires physiques",
  "mapping.shrinkage.damage.thing": "le compte de démarque pour dommages",
  "mapping.shrinkage.expiry.thing": "le compte de démarque pour péremption",
  "mapping.shrinkage.internalUse.thing": "le compte d'usage interne",
  "mapping.shrinkage.theft.thing": "le compte de démarque pour vol",
  "mapping.shrinkage.donation.thing": "le compte des dons",
  "mapping.shrinkage.stockFound.thing": "le compte du stock retrouvé",
  "mapping.shrinkage.sampleForSale.thing": "le compte des échantillons remis en vente",
  "mapping.shrinkage.custom.thing": "le compte des motifs personnalisés",
  "mapping.options.postCogs.thing": "la comptabilisation du coût des marchandises vendues",
  "mapping.options.cogsPerCategory.thing": "le coût des marchandises vendues par catégorie",
  "mapping.nonTaxableTaxCodeId.thing": "le code de taxe des lignes non taxées",
  "mapping.purchaseTaxCodeId.thing": "le code de taxe des factures d'achat",
  "mapping.closureCustomerId.thing": "le client des fermetures de caisse",
  "mapping.options.autoSendPurchaseOrders.thing": "l'envoi sans clic des bons de commande reçus",
};

export const settings: Record<SettingKey, string> = {
  // ---- each mapping of the catalog (shared/mapping-catalog.ts): its field's label and help ----
  "mapping.categories.label": "Catégories de produits → produits/services",
  "mapping.categories.help":
    "Les ventes de chaque catégorie passent par ce produit/service, vers son compte de revenus.",
  "mapping.paymentTypes.label": "Modes de paiement → où va l'argent",
  "mapping.paymentTypes.help":
    "Où arrive l'argent de chaque mode de paiement (un compte bancaire ou d'attente), ou quel passif il réduit. Les modes supprimés encore présents sur des ventes passées sont aussi listés.",
  "mapping.taxes.label": "Taxes du POS → codes de taxe QuickBooks",
  "mapping.taxes.help":
    "Le code de taxe QuickBooks aux mêmes taux que chaque taxe du POS (entreprises américaines : taxable ou non).",
  "mapping.outlets.label": "Points de vente → classes et emplacements",
  "mapping.outlets.help":
    "Facultatif : la classe et/ou l'emplacement que portent les écritures de chaque point de vente.",
  "mapping.adjustmentTypes.label": "Autres types de frais POS → produits/services",
  "mapping.adjustmentTypes.help":
    "Un type de frais que le POS ajoute aux ventes et que Tillbridge ne connaît pas encore attend ici le produit/service par lequel il est comptabilisé.",
  "mapping.items.discount.label": "Remises accordées",
  "mapping.items.discount.help":
    "Les remises des fermetures et des factures passent par cet article, en diminution des ventes.",
  "mapping.items.giftCardLiability.label": "Service de passif des cartes-cadeaux",
  "mapping.items.giftCardLiability.help":
    "Les cartes-cadeaux vendues passent par ce service ; son compte de revenus doit être le compte de passif des cartes-cadeaux.",
  "mapping.items.storeCreditLiability.label": "Service de passif du crédit en magasin",
  "mapping.items.storeCreditLiability.help":
    "Le crédit en magasin émis à la caisse passe par ce service ; son compte de revenus doit être le compte de passif du crédit en magasin.",
  "mapping.items.tillDiscrepancy.label": "Écarts de caisse (excédent/manque)",
  "mapping.items.tillDiscrepancy.help":
    "L'écart entre l'argent compté et l'argent attendu à la fermeture passe par cet article.",
  "mapping.items.rounding.label": "Arrondi",
  "mapping.items.rounding.help":
    "L'arrondi de l'argent comptant, et les cents restants entre ce que les clients ont payé et les ventes plus taxes.",
  "mapping.items.tips.label": "Service des pourboires",
  "mapping.items.tips.help":
    "Les pourboires sont dus au personnel, jamais un revenu : ils passent par ce service non taxable, dont le compte de revenus doit être le compte des pourboires à payer.",
  "mapping.items.surcharge.label": "Suppléments et frais hors espèces",
  "mapping.items.surcharge.help":
    "Les suppléments de carte et les frais hors espèces passent par cet article, taxés comme le POS les a taxés.",
  "mapping.items.customCharge.label": "Frais personnalisés",
  "mapping.items.customCharge.help":
    "Les frais personnalisés de la boutique en ligne (livraison, emballage cadeau…) passent par cet article, taxés comme le POS les a taxés.",
  "mapping.accounts.closureClearing.label": "Compte d'attente des fermetures",
  "mapping.accounts.closureClearing.help":
    "Les ventes d'une fermeture arrivent d'abord ici ; son écriture des paiements en ressort ensuite l'argent de chaque mode de paiement.",
  "mapping.accounts.giftCardLiability.label": "Compte de passif des cartes-cadeaux",
  "mapping.accounts.giftCardLiability.help":
    "Ce que la boutique doit sur les cartes-cadeaux vendues et pas encore utilisées.",
  "mapping.accounts.giftCardBreakage.label": "Revenu des cartes-cadeaux expirées",
  "mapping.accounts.giftCardBreakage.help": "Revenu lorsqu'une carte-cadeau expire avec un solde restant.",
  "mapping.accounts.storeCreditLiability.label": "Compte de passif du crédit en magasin",
  "mapping.accounts.storeCreditLiability.help":
    "Ce que la boutique doit sur le crédit en magasin émis et pas encore utilisé.",
  "mapping.accounts.storeCreditExpense.label": "Dépense de crédit en magasin",
  "mapping.accounts.storeCreditExpense.help":
    "Le coût du crédit en magasin émis à la main (sans retour de marchandise).",
  "mapping.accounts.tipsPayable.label": "Compte des pourboires à payer",
  "mapping.accounts.tipsPayable.help":
    "Ce que le magasin doit à son personnel pour les pourboires payés par les clients.",
  "mapping.accounts.loyalty.label": "Compte des récompenses de fidélité",
  "mapping.accounts.loyalty.help":
    "Un paiement par fidélité est une valeur que le magasin offre : une dépense, un compte de contre-revenu, ou le passif où la fidélité est provisionnée.",
  "mapping.accounts.inventoryAsset.label": "Actif d'inventaire",
  "mapping.accounts.inventoryAsset.help": "Les bons de commande reçus ajoutent ici le coût de leurs produits.",
  "mapping.accounts.shipping.label": "Frais de livraison des bons de commande",
  "mapping.accounts.shipping.help": "Le transport facturé par les fournisseurs sur les bons de commande.",
  "mapping.accounts.purchaseDiscount.label": "Remises sur les bons de commande",
  "mapping.accounts.purchaseDiscount.help": "Les remises accordées par les fournisseurs sur les bons de commande.",
  "mapping.accounts.duties.label": "Droits de douane des bons de commande",
  "mapping.accounts.duties.help": "Les droits de douane payés sur les bons de commande.",
  "mapping.accounts.accountsPayable.label": "Comptes fournisseurs",
  "mapping.accounts.accountsPayable.help":
    "Facultatif : sans choix, les factures vont au compte fournisseurs par défaut de l'entreprise.",
  "mapping.accounts.cogs.label": "Coût des marchandises vendues",
  "mapping.accounts.cogs.help":
    "Facultatif : avec lui, chaque fermeture et chaque vente à crédit ou mise de côté sort le coût de ses produits de l'actif d'inventaire vers ce compte.",
  "mapping.shrinkage.default.label": "Démarque d'inventaire (par défaut)",
  "mapping.shrinkage.default.help":
    "Le stock perdu ou retrouvé passe de l'actif d'inventaire à ce compte quand son motif n'en a pas.",
  "mapping.shrinkage.stocktake.label": "Écarts d'inventaire physique",
  "mapping.shrinkage.stocktake.help":
    "Facultatif : les écarts des inventaires physiques terminés, au coût ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.damage.label": "Ajustements de stock : dommages",
  "mapping.shrinkage.damage.help":
    "Facultatif : le stock radié pour dommages ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.expiry.label": "Ajustements de stock : péremption",
  "mapping.shrinkage.expiry.help": "Facultatif : le stock radié car périmé ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.internalUse.label": "Ajustements de stock : usage interne",
  "mapping.shrinkage.internalUse.help":
    "Facultatif : le stock utilisé par le magasin lui-même ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.theft.label": "Ajustements de stock : vol",
  "mapping.shrinkage.theft.help": "Facultatif : le stock volé ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.donation.label": "Ajustements de stock : dons",
  "mapping.shrinkage.donation.help": "Facultatif : le stock donné ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.stockFound.label": "Ajustements de stock : stock retrouvé",
  "mapping.shrinkage.stockFound.help":
    "Facultatif : le stock retrouvé (un gain au coût) ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.sampleForSale.label": "Ajustements de stock : échantillon remis en vente",
  "mapping.shrinkage.sampleForSale.help":
    "Facultatif : les échantillons remis en vente (un gain au coût) ; sinon le compte de démarque par défaut.",
  "mapping.shrinkage.custom.label": "Ajustements de stock : motifs personnalisés",
  "mapping.shrinkage.custom.help":
    "Facultatif : les ajustements à motif propre au magasin ; sinon le compte de démarque par défaut.",
  "mapping.nonTaxableTaxCodeId.label": "Code de taxe des lignes non taxées",
  "mapping.nonTaxableTaxCodeId.help":
    "Les cartes-cadeaux, passifs, écarts et arrondis ne portent pas de taxe ; QuickBooks demande tout de même un code sur chaque ligne.",
  "mapping.purchaseTaxCodeId.label": "Code de taxe des factures fournisseurs",
  "mapping.purchaseTaxCodeId.help":
    "Le code de taxe des lignes de factures des bons de commande, p. ex. celui qui réclame les crédits de taxe sur les intrants.",
  "mapping.closureCustomerId.label": "Client des fermetures de caisse",
  "mapping.closureCustomerId.help": "Le client QuickBooks au nom duquel le reçu de vente d'une fermeture est établi.",
  "mapping.options.autoSendPurchaseOrders.label": "Envoyer les bons de commande reçus sans clic",
  "mapping.options.autoSendPurchaseOrders.help":
    "Sinon, chaque bon de commande reçu attend son bouton Envoyer dans le back-office.",
  "mapping.options.postCogs.label": "Comptabiliser le coût des marchandises vendues",
  "mapping.options.postCogs.help":
    "Chaque fermeture et chaque vente à crédit ou mise de côté passe une écriture au coût des produits vendus selon le PDV, dès qu'un compte de coût des marchandises vendues est choisi.",
  "mapping.options.cogsPerCategory.label": "Coût des marchandises vendues par catégorie",
  "mapping.options.cogsPerCategory.help":
    "Le coût de chaque catégorie va au compte de dépenses de son produit/service quand c'est un compte de coût des marchandises vendues.",

  // ---- why a mapping is suggested ----
  "suggest.giftCardRole": "un paiement par carte-cadeau réduit le passif des cartes-cadeaux",
  "suggest.storeCreditRole": "un paiement par crédit en magasin réduit le passif du crédit en magasin",
  "suggest.loyaltyRole":
    "un paiement par fidélité est une valeur offerte, pas de l'argent : il va au compte de fidélité",
  "suggest.onAccountRole": "les ventes à crédit sont comptabilisées comme leurs propres factures",
  "suggest.cash": "l'argent comptant va dans « {name} »",
  "suggest.card": "les paiements par carte et autres attendent dans « {name} » le dépôt du processeur de paiement",
  "suggest.sameName": "même nom que « {name} »",
  "suggest.generalItem": "comptabiliser par l'article général « {name} »",
  "suggest.sameRates": "« {name} » a les mêmes taux",
  "suggest.taxable": "taxable dans QuickBooks En ligne (TAX)",
  "suggest.notTaxable": "non taxable (NON)",
  "suggest.looksLike": "« {name} » semble convenir comme {thing}",
  "suggest.matchesName": "« {name} » correspond par son nom",
  "suggest.untaxedLines": "les cartes-cadeaux, les passifs et les écarts de caisse ne portent pas de taxe",
  "suggest.inputTaxCredits": "réclame les crédits de taxe sur les intrants des achats",
  "suggest.noPurchaseRates": "aucun code de taxe d'achat avec des taux",
  "suggest.storeCustomer": "un client pour les ventes de la boutique elle-même",
};
