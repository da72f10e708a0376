/**
 * Policy config offline: the `pulumi preview --policy-config` JSON, one residency matrix shared by
 * every policy that reads it, enforcement levels, and refusals naming the key.
 */
import { expect } from "chai";
import { allPolicies } from "../../policies/all";
import {
    parsePolicyConfig,
    PolicyConfigError,
    residencyPolicyConfig,
    residencyPolicyNames,
    residencySettingsConfig,
} from "../../policies/config";
import { GDPR_COUNTRIES } from "../../policies/gdpr";
import { evaluatePlans, getConfigFor } from "../../policies/offline";
import { DEFAULT_ZONES, residencyConfigSchema } from "../../policies/residency";
import { all, fleet, FLEET_SETTINGS } from "./fixtures";
import { ACCOUNT, expectClean, mutate } from "./util";

const WIDE = {
    eu: ["eu-west-1", "eu-central-1"],
    us: ["us-east-1", "ap-northeast-1"],
    jp: ["ap-northeast-1"],
};

describe("policy config", () => {
    it("declares the one residency matrix on every policy that reads it", () => {
        expect(residencyPolicyNames(allPolicies)).to.deep.equal([
            "residency-unclassified-data-store",
            "residency-region-outside-zone",
            "residency-name-matches-classification",
            "residency-replication-out-of-zone",
            "residency-data-flow",
            "residency-stack-outside-zone",
            "residency-edge-pin",
        ]);
        // A policy that reads config without declaring it gets nothing from the real engine.
        const reader = { name: "reads-config", description: "", validateResource: () => {} };
        expect(() => getConfigFor(reader, { zones: DEFAULT_ZONES, levels: {} })()).to.throw(
            "policy reads-config reads its config but declares no configSchema",
        );
        const declared = { ...reader, configSchema: residencyConfigSchema };
        // As the engine reconciles it: the schema's defaults, overlaid with what is configured.
        expect(getConfigFor(declared, { zones: WIDE, levels: {} })()).to.deep.equal({
            zones: WIDE,
            gdprCountries: [...GDPR_COUNTRIES],
        });
        expect(
            getConfigFor(declared, { zones: WIDE, account: ACCOUNT, gdprZone: "us", levels: {} })(),
        ).to.deep.equal({
            zones: WIDE,
            account: ACCOUNT,
            gdprZone: "us",
            gdprCountries: [...GDPR_COUNTRIES],
        });
        // Every policy of the pack ran over the fleet without reading undeclared config.
        expectClean(evaluatePlans(all(fleet()), FLEET_SETTINGS));
    });

    it("defaults to seed 000's matrix and each policy's own level", () => {
        expect(parsePolicyConfig({}, allPolicies)).to.deep.equal({
            zones: DEFAULT_ZONES,
            levels: {},
        });
    });

    it("applies one matrix set on every residency policy, and levels per policy over 'all'", () => {
        const raw = {
            all: "advisory",
            ...residencyPolicyConfig(WIDE, allPolicies),
            "residency-region-outside-zone": { enforcementLevel: "remediate", zones: WIDE },
            "alb-https-only": "disabled",
        };
        const s = parsePolicyConfig(raw, allPolicies);
        expect(s.zones).to.deep.equal(WIDE);
        expect(s.levels["residency-region-outside-zone"]).to.equal("mandatory");
        expect(s.levels["alb-https-only"]).to.equal("disabled");
        expect(s.levels["backups-retained"]).to.equal("advisory");
    });

    it("applies the matrix and the levels to the evaluation", () => {
        const f = fleet();
        f.eu = mutate(f.eu, "eu-logs", (i, r) => {
            i.region = "eu-central-1";
            r.region = "eu-central-1";
        });
        const settings = residencySettingsConfig({ ...FLEET_SETTINGS, zones: WIDE }, allPolicies);
        const wide = parsePolicyConfig(settings, allPolicies);
        expectClean(evaluatePlans(all(f), wide));
        // A residency policy's level is set beside its settings (the settings stay one).
        const base = residencySettingsConfig(
            { ...FLEET_SETTINGS, zones: DEFAULT_ZONES },
            allPolicies,
        );
        const levels = parsePolicyConfig(
            {
                ...base,
                "residency-region-outside-zone": {
                    ...base["residency-region-outside-zone"],
                    enforcementLevel: "advisory",
                },
                "residency-data-flow": {
                    ...base["residency-data-flow"],
                    enforcementLevel: "advisory",
                },
            },
            allPolicies,
        );
        const found = evaluatePlans(all(f), levels);
        expect([...new Set(found.map((v) => `${v.policy} ${v.level}`))].sort()).to.deep.equal([
            "residency-data-flow advisory",
            "residency-region-outside-zone advisory",
        ]);
        const off = parsePolicyConfig({ all: "disabled" }, allPolicies);
        expect(evaluatePlans(all(f), off)).to.deep.equal([]);
    });

    const refusals: [string, unknown, string][] = [
        [
            "a matrix on some residency policies only",
            { "residency-region-outside-zone": { zones: WIDE } },
            `the residency settings (the matrix "zones", and account, stores, gdprZone, gdprCountries) must be the same on every residency policy (residency-unclassified-data-store, residency-region-outside-zone, residency-name-matches-classification, residency-replication-out-of-zone, residency-data-flow, residency-stack-outside-zone, residency-edge-pin), since each is handed only its own config: it is set on residency-region-outside-zone but not on residency-unclassified-data-store`,
        ],
        [
            "different matrices on two residency policies",
            {
                ...residencyPolicyConfig(WIDE, allPolicies),
                "residency-stack-outside-zone": { zones: DEFAULT_ZONES },
            },
            "residency-unclassified-data-store and residency-stack-outside-zone set different settings",
        ],
        [
            "different accounts on two residency policies",
            {
                ...residencySettingsConfig({ zones: DEFAULT_ZONES, account: ACCOUNT }, allPolicies),
                "residency-data-flow": { zones: DEFAULT_ZONES, account: "210987654321" },
            },
            "residency-unclassified-data-store and residency-data-flow set different settings",
        ],
        [
            "a malformed account",
            residencySettingsConfig({ zones: DEFAULT_ZONES, account: "12345" }, allPolicies),
            `"residency-unclassified-data-store": policy config "account" must be a 12-digit account id, got "12345"`,
        ],
        [
            "a declared store of a zone the matrix does not have",
            residencySettingsConfig(
                {
                    zones: DEFAULT_ZONES,
                    stores: { b: { classification: "mars", region: "us-east-1" } },
                },
                allPolicies,
            ),
            `"residency-unclassified-data-store": policy config "stores.b.classification" must be "global" or a zone (eu, jp, us), got "mars"`,
        ],
        [
            "an unknown policy",
            { "residency-replication-out-of-zon": "advisory" },
            `unknown policy "residency-replication-out-of-zon"; the pack's policies are residency-unclassified-data-store`,
        ],
        [
            "a property the policy does not declare",
            { "alb-https-only": { zones: WIDE } },
            `"alb-https-only" has no property "zones" (it takes no properties)`,
        ],
        [
            "a misspelt matrix property",
            { "residency-region-outside-zone": { zone: WIDE } },
            `"residency-region-outside-zone" has no property "zone" (it takes zones, account, stores, gdprZone, gdprCountries)`,
        ],
        [
            "a malformed matrix",
            residencyPolicyConfig({ eu: [] } as never, allPolicies),
            `"residency-unclassified-data-store": policy config "zones.eu" must be a non-empty list of regions`,
        ],
        [
            "a bad enforcement level",
            { "backups-retained": "warn" },
            `"backups-retained".enforcementLevel must be one of advisory, mandatory, remediate, disabled, got "warn"`,
        ],
        [
            "properties under 'all'",
            { all: { enforcementLevel: "mandatory", zones: WIDE } },
            `"all" only sets enforcementLevel, got zones`,
        ],
    ];
    for (const [what, raw, message] of refusals) {
        it(`refuses ${what}, naming the key`, () => {
            expect(() => parsePolicyConfig(raw, allPolicies)).to.throw(PolicyConfigError, message);
        });
    }
});
