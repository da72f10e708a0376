// The pack's policies in one list, shared by `index.ts` (the real PolicyPack) and `offline.ts`
// (the offline plan), so both run exactly the same functions.

import type { Policies } from "@pulumi/policy";
import { classificationPolicies } from "./classification";
import { edgePin } from "./edge";
import { guardrailPolicies } from "./guardrails";
import { iamNoWildcardActions } from "./iam";
import { replicationPolicies } from "./replication";

export const allPolicies: Policies = [
    ...classificationPolicies,
    replicationPolicies.replicationOutOfZone,
    replicationPolicies.dataFlow,
    replicationPolicies.stackOutsideZone,
    edgePin,
    guardrailPolicies.encryptionAtRestCmk,
    guardrailPolicies.databaseDeletionProtection,
    guardrailPolicies.albHttpsOnly,
    guardrailPolicies.s3PublicAccessBlocked,
    guardrailPolicies.s3EncryptionCmk,
    guardrailPolicies.backupsRetained,
    iamNoWildcardActions,
];
