/**
 * The residency vocabulary: the tag that classifies a data store and the reserved `global`
 * classification. The policy pack (policies/residency.ts) owns both; this module is the one place
 * the program takes them from, so the program, the runbooks and the pack never disagree.
 */
export { GLOBAL, RESIDENCY_TAG } from "../policies/residency";
import { GLOBAL } from "../policies/residency";

/** Residency classification of data that may live in any region (the pack's `global`). */
export const GLOBAL_CLASSIFICATION = GLOBAL;
