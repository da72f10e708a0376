// The TaskFlow CrossGuard pack: `pulumi preview --policy-pack policies`.
// This file only assembles the pack: constructing a PolicyPack starts the analyzer's gRPC server,
// so nothing (tests, the offline plan) may import this module; they import `./all` instead.

import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./all";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./identity";

new PolicyPack(PACK_NAME, {
    description:
        "TaskFlow Global: data residency (EU data never leaves eu-west-1) and baseline guardrails.",
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    policies: allPolicies,
});
