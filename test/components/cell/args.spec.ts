/**
 * RegionalCell built from a literal args object (no stack config): what each argument and each
 * documented default becomes.
 */
import { taskVariables } from "../../helpers/task-variables";
import { expect } from "chai";
import { RegionalCell, RegionalCellArgs } from "../../../components/cell";
import { Built, buildUnderMocks, json } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    vpc: TYPES.vpc,
    tg: TYPES.lbTargetGroup,
    rule: TYPES.lbListenerRule,
    ingress: TYPES.sgIngress,
    task: TYPES.ecsTaskDefinition,
    service: TYPES.ecsService,
    target: TYPES.scalingTarget,
    cert: TYPES.certificate,
    cluster: TYPES.ecsCluster,
    rolePolicy: TYPES.iamRolePolicy,
};

const BASE: RegionalCellArgs = {
    region: "eu-west-1",
    role: "secondary",
    zone: "eu",
    zones: ["eu", "us"],
    domain: "example.org",
    vpcCidr: "10.50.0.0/16",
    mode: "warm-standby",
    capacity: { minTasks: 1, maxTasks: 4, natGateways: 1, dbInstances: 1, cacheNodes: 1 },
    image: "public.ecr.aws/docker/library/nginx:1.27",
    hostedZoneId: "ZLITERAL0001",
    originVerifySecret: "literal-secret",
    edgeResidency: { zone: "eu", region: "eu-west-1" },
};

async function build(args: RegionalCellArgs, endpoints = { DATABASE_HOST: "db.example.org" }) {
    let cell: RegionalCell | undefined;
    const built = await buildUnderMocks(args.region, () => {
        cell = new RegionalCell("cell", args);
        cell.serve(endpoints);
    });
    return { built, cell: cell! };
}

/** The app container's environment, as a map. */
function environmentOf(b: Built): Record<string, string> {
    const [task] = b.ofType(T.task);
    return taskVariables(task, b.ofType("aws:ssm/parameter:Parameter"));
}

/** The lifecycle rule of the cell's ALB log (landing) bucket. */
function landingRule(b: Built): Record<string, unknown> {
    const rules = b.named("cell-alb-logs-lifecycle").inputs.rules as Record<string, unknown>[];
    expect(rules).to.have.length(1);
    return rules[0];
}

describe("RegionalCell from literal args", function () {
    this.timeout(30000);
    let base: Built;
    before(async () => {
        base = (await build(BASE)).built;
    });

    it("builds the VPC from vpcCidr and the capacity's NAT gateways", () => {
        const [vpc] = base.ofType(T.vpc);
        expect(vpc.inputs.cidrBlock).to.equal("10.50.0.0/16");
        expect(vpc.inputs.natGateways).to.deep.equal({ strategy: "Single" });
        expect((vpc.inputs.tags as Record<string, string>).Name).to.equal(
            "taskflow-prod-eu-west-1",
        );
    });

    it("defaults: port 8080, /health, 512 CPU / 1024 MiB, environment prod", () => {
        const [tg] = base.ofType(T.tg);
        expect(tg.inputs.port).to.equal(8080);
        expect((tg.inputs.healthCheck as Record<string, unknown>).path).to.equal("/health");
        const [task] = base.ofType(T.task);
        expect(task.inputs).to.include({
            cpu: "512",
            memory: "1024",
            family: "taskflow-prod-app-eu-west-1",
        });
        expect(base.ofType(T.cluster)[0].inputs.name).to.equal("taskflow-prod-eu-west-1");
    });

    it("gives the tasks the data tier's endpoints, the role and the residency pins", () => {
        expect(environmentOf(base)).to.include({
            DATABASE_HOST: "db.example.org",
            TASKFLOW_ROLE: "secondary",
            TASKFLOW_RESIDENCY_ZONE: "eu",
            TASKFLOW_RESIDENT_REGION: "eu-west-1",
            TASKFLOW_ENVIRONMENT: "prod",
        });
    });

    it("starts the service at the capacity's floor and scales within it", () => {
        expect(base.ofType(T.service)[0].inputs.desiredCount).to.equal(1);
        const [target] = base.ofType(T.target);
        expect(target.inputs).to.include({ minCapacity: 1, maxCapacity: 4 });
        expect(target.options.ignoreChanges).to.deep.equal([]);
    });

    it("names the origin and the edge's public names on its certificate", () => {
        const [cert] = base.ofType(T.cert);
        expect(cert.inputs.domainName).to.equal("eu-west-1.origin.example.org");
        expect(cert.inputs.subjectAlternativeNames).to.deep.equal([
            "api.example.org",
            "*.api.example.org",
            "app.example.org",
        ]);
    });

    it("refuses tagged requests only outside the residency region", async () => {
        expect(base.ofType(T.rule).map((r) => r.name)).to.not.include("cell-https-residency");
        const us = (
            await build({ ...BASE, region: "us-east-1", zone: "us", vpcCidr: "10.60.0.0/16" })
        ).built;
        expect(us.ofType(T.rule).map((r) => r.name)).to.include.members([
            "cell-https-residency",
            "cell-ga-https-residency",
        ]);
    });

    it("takes every override: environment, port, path, sizes, checkers, aliases, a private image", async () => {
        const b = (
            await build({
                ...BASE,
                environment: "stage",
                containerPort: 9090,
                healthCheckPath: "/ready",
                taskCpu: 1024,
                taskMemory: 2048,
                healthCheckerPrefixListName: null,
                originAliases: ["www.example.org"],
                image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:7",
                capacityManagedAtRuntime: true,
                accessLogRetentionDays: 7,
            })
        ).built;
        expect(b.ofType(T.tg)[0].inputs.port).to.equal(9090);
        expect(b.ofType(T.task)[0].inputs).to.include({ cpu: "1024", memory: "2048" });
        expect(b.ofType(T.cluster)[0].inputs.name).to.equal("taskflow-stage-eu-west-1");
        expect(b.has("cell-alb-in-healthcheckers")).to.equal(false);
        expect(b.ofType(T.cert)[0].inputs.subjectAlternativeNames).to.deep.equal([
            "www.example.org",
        ]);
        expect(b.ofType(T.target)[0].options.ignoreChanges).to.deep.equal([
            "minCapacity",
            "maxCapacity",
        ]);
        const exec = b.named("cell-execution-policy");
        const sids = (json(exec.inputs.policy).Statement as { Sid: string }[]).map((s) => s.Sid);
        expect(sids).to.include.members(["EcrLogin", "PullAppImage"]);
        expect(environmentOf(b).TASKFLOW_ENVIRONMENT).to.equal("stage");
        // A week-long landing retention: no Standard-IA step (it takes objects 30 days old).
        expect(landingRule(b)).to.deep.include({ expiration: { days: 7 } });
        expect(landingRule(b)).to.not.have.property("transitions");
    });

    it("keeps ALB access logs 365 days by default, in Standard-IA after 30", () => {
        expect(landingRule(base)).to.deep.include({
            expiration: { days: 365 },
            transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
        });
    });

    it("hands the data tier its network before the service exists", async () => {
        let network: RegionalCell["network"] | undefined;
        await buildUnderMocks("eu-west-1", () => {
            const cell = new RegionalCell("cell", BASE);
            network = cell.network;
        });
        expect(Object.keys(network!).sort()).to.deep.equal([
            "alarmTopicArn",
            "dataSecurityGroupId",
            "isolatedSubnetIds",
            "kmsKeyArn",
            "taskRoleName",
            "vpcId",
        ]);
    });

    it("serves once", async () => {
        let second: unknown;
        await buildUnderMocks("eu-west-1", () => {
            const cell = new RegionalCell("cell", BASE);
            cell.serve();
            try {
                cell.serve();
            } catch (e) {
                second = e;
            }
        });
        expect(String(second)).to.match(/serve\(\) was already called/);
    });
});
