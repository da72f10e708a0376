// The viewer countries whose requests are GDPR requests: one list, shared by the Lambda@Edge
// residency router (edge/residency-router.ts) and the pack's edge policy (edge.ts). Nothing here
// may import from outside policies/: the pack is published on its own.

/**
 * Viewer countries (ISO 3166-1 alpha-2, as CloudFront reports them in `CloudFront-Viewer-Country`)
 * whose requests are GDPR requests. Decision:
 *
 * - **The EU-27**: GDPR applies directly (Art. 3 GDPR; the Union's territory is the member
 *   states' as defined by Art. 52 TEU and Art. 355 TFEU).
 * - **EU territory with its own ISO code**, which CloudFront reports under that code rather than
 *   the member state's: the outermost regions of Art. 349/355(1) TFEU that have one — Guadeloupe
 *   GP, French Guiana GF, Martinique MQ, Réunion RE, Mayotte YT, Saint-Martin MF — and the Åland
 *   Islands AX (Finland; Art. 355(4) TFEU, Protocol 2 of the 1994 Act of Accession: inside the
 *   EU, outside its VAT/excise area only). The Canary Islands, Azores, Madeira, Ceuta and Melilla
 *   have no ISO 3166-1 code of their own and are reported as ES / PT.
 * - **EEA outside the EU** (IS, LI, NO): GDPR applies through the EEA Agreement (Annex XI,
 *   Joint Committee Decision 154/2018).
 * - **GB** (UK GDPR, routed to eu-west-1 by the requirements' routing table, docs/requirements.md).
 *
 * Not included, because GDPR does not apply there: the overseas countries and territories of
 * Annex II TFEU (e.g. BL Saint-Barthélemy since 2012, PM, PF, NC, WF, TF, GL Greenland, AW,
 * CW, SX, BQ), the Faroe Islands FO (Art. 355(5)(a) TFEU), Svalbard and Jan Mayen SJ (EEA
 * Agreement Protocol 40: the Agreement does not apply to Svalbard), the microstates outside the
 * Union (AD, MC, SM, VA), the Crown Dependencies (GG, JE, IM) and Gibraltar GI (UK-linked regimes
 * with EU adequacy, not GDPR itself), and Switzerland CH (revFADP). Add any of them through the
 * component's `residency.countries` if the business decides otherwise.
 * Sources: TEU Art. 52, TFEU Arts. 349 and 355 and Annex II (consolidated text, OJ C 202,
 * 7.6.2016); EEA Agreement Protocol 40; ISO 3166-1.
 */
export const GDPR_COUNTRIES: readonly string[] = [
    // EU-27
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    // EU territory reported under its own code: outermost regions (FR) and Åland (FI)
    "GP", "GF", "MQ", "RE", "YT", "MF", "AX",
    // EEA outside the EU
    "IS", "LI", "NO",
    // United Kingdom (UK GDPR)
    "GB",
]; // prettier-ignore
