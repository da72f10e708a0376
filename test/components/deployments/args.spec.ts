/** PulumiDeployments built from a literal args object: settings and schedules per stack. */
import { expect } from "chai";
import {
    DeploymentSettingsArgs,
    PulumiDeployments,
    PulumiDeploymentsArgs,
} from "../../../components/deployments";
import { Topology } from "../../../model/topology";
import { buildUnderMocks } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    settings: TYPES.deploymentSettings,
    refresh: TYPES.deploymentSchedule,
    drift: TYPES.driftSchedule,
};

const region = (name: string, primary: boolean): Topology["regions"][number] => ({
    region: name,
    stack: name,
    primary,
    failover: primary ? "us-west-2" : "us-east-1",
    zone: "us",
    vpcCidr: primary ? "10.1.0.0/16" : "10.2.0.0/16",
    geolocation: { countries: [], continents: [] },
    globalData: true,
});

const SETTINGS: DeploymentSettingsArgs = {
    enabled: true,
    repo: "acme/infra",
    branch: "release",
    refreshCron: "0 */4 * * *",
    driftCron: "15 3 * * *",
    awsRoleArn: "arn:aws:iam::123456789012:role/deploy",
    autoRemediateGlobal: true,
    prPreviews: false,
};

const BASE: PulumiDeploymentsArgs = {
    topology: {
        org: "acme",
        project: "taskflow",
        globalStack: "edge",
        domain: "example.org",
        zones: { us: ["us-east-1", "us-west-2"] },
        regions: [region("us-east-1", true), region("us-west-2", false)],
    },
    settings: SETTINGS,
};

describe("PulumiDeployments from literal args", function () {
    this.timeout(30000);

    it("gives every stack of the topology its settings, refresh and drift schedules", async () => {
        const b = await buildUnderMocks("us-east-1", () => {
            new PulumiDeployments("deployments", BASE);
        });
        expect(b.ofType(T.settings).map((s) => s.inputs.stack)).to.deep.equal([
            "us-east-1",
            "us-west-2",
            "edge",
        ]);
        for (const s of b.ofType(T.refresh)) expect(s.inputs.scheduleCron).to.equal("0 */4 * * *");
        const drift = Object.fromEntries(
            b.ofType(T.drift).map((d) => [d.inputs.stack, d.inputs.autoRemediate]),
        );
        expect(drift).to.deep.equal({ "us-east-1": false, "us-west-2": false, edge: true });
    });

    it("defaults: npm ci before each operation, one-hour OIDC sessions", async () => {
        const b = await buildUnderMocks("us-east-1", () => {
            new PulumiDeployments("deployments", BASE);
        });
        const ctx = b.named("deployments-edge-settings").inputs.operationContext as {
            preRunCommands: string[];
            oidc: { aws: { duration: string; roleARN: string } };
        };
        expect(ctx.preRunCommands).to.deep.equal(["npm ci"]);
        expect(ctx.oidc.aws).to.include({ duration: "1h", roleARN: SETTINGS.awsRoleArn });
        const tuned = await buildUnderMocks("us-east-1", () => {
            new PulumiDeployments("deployments", {
                ...BASE,
                preRunCommands: ["npm ci", "npm run build"],
                oidcSessionDuration: "2h",
            });
        });
        const tunedCtx = tuned.named("deployments-edge-settings").inputs.operationContext as {
            preRunCommands: string[];
            oidc: { aws: { duration: string } };
        };
        expect(tunedCtx.preRunCommands).to.deep.equal(["npm ci", "npm run build"]);
        expect(tunedCtx.oidc.aws.duration).to.equal("2h");
    });
});
