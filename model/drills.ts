/**
 * Failure drills: the FIS experiment templates a region stack may build (`taskflow:drills`), and
 * the tags that find them (`npm run ops -- drill <name> --region <r>` looks a template up by
 * exactly these two tags).
 */

/** The drills, by name. */
export const DRILLS = ["stop-tasks", "fail-health-check", "cut-data-network"] as const;
export type DrillName = (typeof DRILLS)[number];

/** Tag keys every drill template carries: its drill name and the region it drills. */
export const DRILL_TAGS = { drill: "taskflow:drill", region: "taskflow:region" } as const;
