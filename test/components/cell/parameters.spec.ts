/**
 * The per-region task parameters on the offline plan of the real stacks (the shared plan): every
 * region stack publishes what its tasks need under `/taskflow/<environment>/<region>/`, the
 * task definition reads each one by ARN as a container secret (ECS resolves `valueFrom` ARNs of
 * Parameter Store at task start:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html), and the execution
 * role may read exactly those parameters.
 */
import { expect } from "chai";
import { PlannedStack } from "../../../plan/run";
import { RecordedResource } from "../../../plan/mocks";
import {
    cacheWriterParameterValues,
    parameterName,
    parameterPath,
    writerParameterValues,
} from "../../../model/parameters";
import { repoPlan } from "../../helpers/repo-plan";
import { taskVariables } from "../../helpers/task-variables";

const PARAM = "aws:ssm/parameter:Parameter";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";

/** What every region's tasks need, wherever the region holds global data or not. */
const ALWAYS = ["TASKFLOW_ROLE", "TASKFLOW_RESIDENCY_ZONE", "TASKFLOW_WRITER_REGION"];
/** What a region holding global data adds: endpoints and tables. */
const DATA = [
    "DATABASE_HOST",
    "DATABASE_READER_HOST",
    "DATABASE_WRITE_FORWARDING",
    "CACHE_HOST",
    "SESSIONS_TABLE",
    "USER_PREFERENCES_TABLE",
];

interface Container {
    environment: { name: string; value: string }[];
    secrets?: { name: string; valueFrom: string }[];
}

describe("RegionalCell: per-region parameters (planned program)", function () {
    this.timeout(60000);
    let regions: PlannedStack[];
    before(async () => {
        regions = (await repoPlan()).filter((p) => p.config.role !== "global");
    });
    /** The region's Aurora member of the global cluster (not a zone's resident cluster). */
    const member = (p: PlannedStack): RecordedResource | undefined =>
        p.mocks
            .ofType("aws:rds/cluster:Cluster")
            .find((r) => r.urn.includes("taskflow:data:GlobalData$"));
    const params = (p: PlannedStack): RecordedResource[] => p.mocks.ofType(PARAM);
    const container = (p: PlannedStack): Container =>
        (JSON.parse(String(p.mocks.ofType(TASK)[0].inputs.containerDefinitions)) as Container[])[0];

    it("publishes the tasks' needs in every region stack under /taskflow/<environment>/<region>/", () => {
        expect(regions.map((p) => p.plan.stack)).to.have.length.greaterThan(1);
        for (const p of regions) {
            const region = p.config.regionSpec!.region;
            const names = params(p).map((r) => String(r.inputs.name));
            const need = p.mocks.ofType("aws:rds/cluster:Cluster").length
                ? [...ALWAYS, ...DATA]
                : ALWAYS;
            for (const v of need)
                expect(names, `${p.plan.stack}: ${v}`).to.include(
                    parameterPath(p.config.environment, region, v),
                );
            for (const r of params(p)) {
                expect(String(r.inputs.name)).to.match(
                    new RegExp(`^/taskflow/${p.config.environment}/${region}/[a-z0-9-]+$`),
                );
                expect(r.region, String(r.inputs.name)).to.equal(region);
            }
        }
    });

    it("reads every parameter as a secret by its ARN, and nothing of it from the plain environment", () => {
        for (const p of regions) {
            const c = container(p);
            const arns = params(p).map((r) => String(r.outputs.arn));
            const secrets = c.secrets ?? [];
            expect(secrets.map((s) => s.valueFrom).sort(), p.plan.stack).to.deep.equal(arns.sort());
            for (const s of secrets)
                expect(s.valueFrom).to.match(
                    /^arn:aws:ssm:[a-z0-9-]+:\d{12}:parameter\/taskflow\//,
                );
            const plain = c.environment.map((e) => e.name);
            for (const v of [...ALWAYS, ...DATA])
                expect(plain, `${p.plan.stack}: ${v}`).to.not.include(v);
            // What the tasks see: the region's own identity, resolved through the parameters.
            const seen = taskVariables(p.mocks.ofType(TASK)[0], params(p));
            expect(seen).to.include({
                TASKFLOW_ROLE: p.config.role,
                TASKFLOW_RESIDENCY_ZONE: p.config.regionSpec!.zone,
                TASKFLOW_WRITER_REGION: p.config.writerRegion,
            });
        }
    });

    it("lets the execution role read exactly those parameters (no wildcard, no other resource)", () => {
        for (const p of regions) {
            const policies = p.mocks
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .filter((r) => r.name.endsWith("-execution-policy"));
            expect(policies, p.plan.stack).to.have.length(1);
            const doc = JSON.parse(String(policies[0].inputs.policy)) as {
                Statement: { Action: string | string[]; Resource: string | string[] }[];
            };
            const ssm = doc.Statement.filter((s) =>
                [s.Action].flat().some((a) => a.startsWith("ssm:")),
            );
            expect(ssm, p.plan.stack).to.have.length(1);
            expect([ssm[0].Action].flat()).to.deep.equal(["ssm:GetParameters"]);
            expect([ssm[0].Resource].flat().sort()).to.deep.equal(
                params(p)
                    .map((r) => String(r.outputs.arn))
                    .sort(),
            );
        }
    });

    it("leaves the writer and cache-writer parameters' values to the runbook (ignoreChanges), and no other", () => {
        for (const p of regions) {
            for (const r of params(p)) {
                const writer = [
                    "DATABASE_HOST",
                    "DATABASE_WRITE_FORWARDING",
                    "TASKFLOW_WRITER_REGION",
                    "CACHE_READ_ONLY",
                ]
                    .map(parameterName)
                    .some((n) => String(r.inputs.name).endsWith(`/${n}`));
                expect(r.options.ignoreChanges.includes("value"), String(r.inputs.name)).to.equal(
                    writer,
                );
            }
        }
    });

    it("publishes the region's own reader and cache endpoints and the global tables' names", () => {
        const primary = regions.find((p) => p.config.role === "primary")!;
        const tables = primary.mocks
            .ofType("aws:dynamodb/table:Table")
            .filter((r) => r.urn.includes("taskflow:data:GlobalData$"));
        const tableName = (suffix: string) =>
            String(tables.find((t) => t.name === `global-data-${suffix}`)!.inputs.name);
        let checked = 0;
        for (const p of regions) {
            const region = p.config.regionSpec!.region;
            const cluster = member(p);
            if (!cluster) continue;
            const [cache] = p.mocks
                .ofType("aws:elasticache/replicationGroup:ReplicationGroup")
                .filter((r) => r.urn.includes("taskflow:data:GlobalData$"));
            const seen = taskVariables(p.mocks.ofType(TASK)[0], params(p));
            expect(seen, p.plan.stack).to.include({
                DATABASE_READER_HOST: String(cluster.outputs.readerEndpoint),
                CACHE_HOST: String(cache.outputs.primaryEndpointAddress),
                SESSIONS_TABLE: tableName("sessions"),
                USER_PREFERENCES_TABLE: tableName("user-preferences"),
            });
            // The endpoints are this region's, never another region's.
            expect(seen.DATABASE_READER_HOST, p.plan.stack).to.contain(`.${region}.`);
            expect(seen.CACHE_HOST, p.plan.stack).to.contain(`-${region}.`);
            // The tables are the global tables that have a replica here (or live here).
            for (const t of tables)
                if (region !== primary.config.regionSpec!.region)
                    expect(
                        ((t.inputs.replicas ?? []) as { regionName: string }[]).map(
                            (r) => r.regionName,
                        ),
                        `${t.name} in ${region}`,
                    ).to.include(region);
            checked++;
        }
        expect(checked, "regions holding global data").to.be.greaterThan(1);
    });

    it("plans the writer parameters the way the runbook writes them", () => {
        for (const p of regions) {
            const region = p.config.regionSpec!.region;
            const cluster = member(p);
            if (!cluster) continue;
            const seen = taskVariables(p.mocks.ofType(TASK)[0], params(p));
            const want = writerParameterValues(region, p.config.writerRegion, {
                writer: String(cluster.outputs.endpoint),
                reader: String(cluster.outputs.readerEndpoint),
            });
            expect(seen, p.plan.stack).to.include(want);
            expect(seen, p.plan.stack).to.include(
                cacheWriterParameterValues(region, p.config.writerRegion),
            );
        }
    });
});
