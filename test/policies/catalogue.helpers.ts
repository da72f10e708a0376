// Helpers of the real-stack catalogue (catalogue.spec.ts): small edits of one real stack's plan,
// as `npm run plan` writes it, each the least a careless change would add.

import { PlanLike, PlannedResourceLike } from "../../policies/offline";

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "999999999999";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The zone eu stores of the real eu-west-1 stack, by what the program names them. */
export const EU = {
    table: "taskflow-prod-users-eu-eu-west-1",
    tableArn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/taskflow-prod-users-eu-eu-west-1`,
    // Bucket names carry the account id (S3 names are global across accounts).
    bucket: `taskflow-prod-userdata-${ACCOUNT}-eu-eu-west-1`,
    bucketArn: `arn:aws:s3:::taskflow-prod-userdata-${ACCOUNT}-eu-eu-west-1`,
    cluster: "taskflow-prod-db-eu-eu-west-1",
    clusterArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:taskflow-prod-db-eu-eu-west-1`,
    logGroup: "/aws/rds/cluster/taskflow-prod-db-eu-eu-west-1/postgresql",
    logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/rds/cluster/taskflow-prod-db-eu-eu-west-1/postgresql`,
};

/** A global store in us-east-1 that the committed pack config declares. */
export const US_ASSETS = `taskflow-prod-assets-${ACCOUNT}-global-us-east-1`;
export const US_ASSETS_ARN = `arn:aws:s3:::${US_ASSETS}`;

export const arn = (service: string, region: string, rest: string, account = ACCOUNT): string =>
    `arn:aws:${service}:${region}:${account}:${rest}`;

/**
 * Each source plan's JSON, written once: the cases copy the same few planned stacks hundreds of
 * times, and those are never changed (every edit is made on a copy).
 */
const planJson = new WeakMap<PlanLike, string>();

/** One stack's plan, deep-copied, with the edits of one case. */
export class Edit {
    readonly plan: PlanLike;
    constructor(plan: PlanLike) {
        let json = planJson.get(plan);
        if (json === undefined) planJson.set(plan, (json = JSON.stringify(plan)));
        this.plan = JSON.parse(json) as PlanLike;
    }

    get(name: string): PlannedResourceLike {
        const r = this.plan.resources.find((x) => x.name === name);
        if (!r) throw new Error(`stack ${this.plan.stack} has no resource named ${name}`);
        return r;
    }

    urn(name: string): string {
        return this.get(name).urn;
    }

    /** Changes one resource of the plan. */
    set(name: string, change: (inputs: Record<string, any>, r: PlannedResourceLike) => void): this {
        const r = this.get(name);
        change(r.inputs, r);
        return this;
    }

    /**
     * Adds a copy of a real resource under a new name (same type, provider, region and inputs):
     * the least a change that adds "one more like it" would plan. `change` edits the copy.
     */
    copy(
        from: string,
        name: string,
        change: (inputs: Record<string, any>, r: PlannedResourceLike) => void = () => {},
    ): PlannedResourceLike {
        const src = this.get(from);
        const r = JSON.parse(JSON.stringify(src)) as PlannedResourceLike;
        r.name = name;
        r.urn = `${src.urn.slice(0, src.urn.lastIndexOf("::"))}::${name}`;
        r.id = `${name}-id`;
        r.outputs = {};
        change(r.inputs, r);
        this.plan.resources.push(r);
        return r;
    }

    /** Adds an explicit AWS provider in `region` (once) and returns its URN. */
    provider(region: string, name = `aws-${region}`): string {
        const urn = `urn:pulumi:${this.plan.stack}::taskflow::pulumi:providers:aws::${name}`;
        if (!this.plan.resources.some((r) => r.urn === urn))
            this.plan.resources.push({
                urn,
                type: "pulumi:providers:aws",
                name,
                custom: true,
                id: `${name}-id`,
                region,
                providerRegion: null,
                parent: null,
                provider: null,
                remote: false,
                propertyDependencies: {},
                inputs: { region },
                outputs: {},
            });
        return urn;
    }

    /**
     * Adds a custom resource at the top of the stack, created with the default provider (or
     * `opts.region`'s explicit one), as the planner would record it.
     */
    add(
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        opts: {
            outputs?: Record<string, unknown>;
            region?: string;
            deps?: Record<string, string[]>;
            provider?: string;
        } = {},
    ): PlannedResourceLike {
        const providerRegion = opts.region ?? this.plan.region;
        const provider = opts.provider ?? (opts.region ? this.provider(opts.region) : null) ?? null;
        const aws = type.startsWith("aws:");
        const r: PlannedResourceLike = {
            urn: `urn:pulumi:${this.plan.stack}::taskflow::${type}::${name}`,
            type,
            name,
            custom: true,
            id: `${name}-id`,
            region: aws ? ((inputs["region"] as string | undefined) ?? providerRegion) : "global",
            providerRegion: aws ? providerRegion : null,
            parent: null,
            provider,
            remote: false,
            propertyDependencies: opts.deps ?? {},
            inputs,
            outputs: opts.outputs ?? {},
        };
        this.plan.resources.push(r);
        return r;
    }
}

/** `{ data-residency: <classification> }` */
export const tagged = (classification: string): { tags: Record<string, string> } => ({
    tags: { "data-residency": classification },
});

/** A JSON policy document with one Allow statement. */
export function allow(principal: unknown, action: string | string[], resource: unknown): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Case",
                Effect: "Allow",
                Principal: principal,
                Action: action,
                Resource: resource,
            },
        ],
    });
}

/** An identity policy document with one Allow statement. */
export function identity(action: string | string[], resource: unknown): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "Case", Effect: "Allow", Action: action, Resource: resource }],
    });
}

/**
 * An EU-zone source of vended logs (a Bedrock AgentCore runtime in eu-west-1, whose application
 * logs carry its users' prompts) and a standard-logging (v2) delivery of them to a destination in
 * `region` of `account` that writes to `bucketArn`: the source, destination and delivery AWS
 * pairs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-vended-logs-permissions-V2.html),
 * the destination in any Region
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html).
 */
export function euVendedLogs(
    e: Edit,
    to: { region: string; bucketArn: string; account?: string },
): void {
    const runtime = arn("bedrock-agentcore", "eu-west-1", "runtime/eu_agent");
    e.add(
        "aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime",
        "eu-agent",
        { agentRuntimeName: "eu_agent", ...tagged("eu") },
        { outputs: { arn: runtime } },
    );
    e.add(
        "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        "eu-agent-logs-source",
        { name: "eu-agent-logs", logType: "APPLICATION_LOGS", resourceArn: runtime },
        {
            outputs: {
                arn: arn("logs", "eu-west-1", "delivery-source:eu-agent-logs"),
                name: "eu-agent-logs",
            },
        },
    );
    const destination = arn("logs", to.region, "delivery-destination:agent-logs", to.account);
    // A destination of another account is not in this stack: the delivery names its ARN only.
    if (to.account === undefined)
        e.add(
            "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
            "agent-logs-destination",
            {
                name: "agent-logs",
                region: to.region,
                deliveryDestinationConfiguration: { destinationResourceArn: to.bucketArn },
            },
            { region: to.region, outputs: { arn: destination, name: "agent-logs" } },
        );
    e.add(
        "aws:cloudwatch/logDelivery:LogDelivery",
        "eu-agent-logs",
        { deliverySourceName: "eu-agent-logs", deliveryDestinationArn: destination },
        { outputs: { arn: arn("logs", "eu-west-1", "delivery:0123456789abcdef") } },
    );
}
