// The vocabulary of the judges (see index.ts): how a reference moves data, the documents a
// resource holds, and what the pack knows about a type.

import type { ResidencyConfig, ResourceView } from "../residency";

/**
 * How a reference moves data:
 * - `attach`: configures or belongs to the target (its policy, encryption config, alias, subnet
 *   group, a member instance); `key`: encrypted with the target key; `metric`: watches the
 *   target's metrics. All three keep no data elsewhere: the resource must be in the target's
 *   zone and account.
 * - `reads`: the resource reads the target's data (app access, a restore, an import): it carries
 *   that data from then on.
 * - `source`: what a mover copies from; it must be proven (a store of the stack or of the pack's
 *   config), else the mover fails closed. `sink`: where the resource's data goes; it must be
 *   proven whenever that data is (or may be) zone data.
 * - `alias`: the resource stands for the target store (a migration endpoint, a transfer
 *   location): it reads the store's data, and data sent to it lands in the store.
 * - `assume`: the resource runs as the target role and gets the role's access.
 * - `grantee`: the principal an identity policy document is attached to.
 * - `member`: global-cluster / datastore membership, judged by residency-replication-out-of-zone.
 * - `inert`: names only (a StackReference's outputs, a DNS alias).
 */
export type Kind =
    | "attach"
    | "key"
    | "metric"
    | "reads"
    | "source"
    | "sink"
    | "alias"
    | "assume"
    | "grantee"
    | "member"
    | "inert";

/** A policy document a resource holds, and what it governs. */
export interface DocumentSpec {
    path: string;
    /**
     * `identity`: grants its grantees (the `grantee` refs, else the resource itself) access to the
     * resources it names; `resource`: says who may access what the resource governs; `trust`:
     * who may assume the resource (a role).
     */
    kind: "identity" | "resource" | "trust";
    /** The path whose target the document governs (`resource`); default: the resource itself. */
    governs?: string;
}

export interface Judge {
    refs: Readonly<Record<string, Kind>>;
    docs?: readonly DocumentSpec[];
    /** A global service (IAM): there is no region to check, only the account. */
    regionless?: boolean;
    /** Serves what it reads from edge locations worldwide (a CDN): never in a zone. */
    worldwide?: boolean;
    /** Spans several regions by design: how (an S3 Multi-Region Access Point, a global cluster). */
    multiRegion?: string;
    /** The input holding the region the resource's data lands in, if not its own. */
    landsIn?: string;
    /** Paths of regions the resource sends its data to (replica regions). */
    regionSinks?: readonly string[];
    /** Paths of account ids the resource's data is shared with or delivered to. */
    shares?: readonly string[];
    /** Paths of principals granted access to what the resource governs (not documents). */
    principals?: readonly string[];
    /** Sinks must be proven even for global data (replication that keeps classifications true). */
    strictSinks?: boolean;
    /**
     * Zones whose data the resource picks by other means than references (a backup selection by
     * tag, wildcard or condition), with why.
     */
    picks?: (v: ResourceView, config: ResidencyConfig) => { zone: string; why: string }[];
}
