/**
 * The planned resources of every stack, indexed for the report: by type, by physical name and by
 * the identifiers other resources use to point at them (ids, ARNs, DNS names). Pure: it reads the
 * structure the plan files hold (docs/plan-format.md), nothing else.
 */
import type { PlannedResource, StackPlan } from "../run";

/** Resource types the report reads. */
export const T = {
    record: "aws:route53/record:Record",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    distribution: "aws:cloudfront/distribution:Distribution",
    accelerator: "aws:globalaccelerator/accelerator:Accelerator",
    gaListener: "aws:globalaccelerator/listener:Listener",
    endpointGroup: "aws:globalaccelerator/endpointGroup:EndpointGroup",
    lambda: "aws:lambda/function:Function",
    ecsService: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    scalingTarget: "aws:appautoscaling/target:Target",
    vpc: "awsx:ec2:Vpc",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsInstance: "aws:rds/clusterInstance:ClusterInstance",
    clusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    cacheGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    globalCacheGroup: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
    table: "aws:dynamodb/table:Table",
    tableReplica: "aws:dynamodb/tableReplica:TableReplica",
    bucket: "aws:s3/bucket:Bucket",
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    kmsKey: "aws:kms/key:Key",
    kmsReplicaKey: "aws:kms/replicaKey:ReplicaKey",
    secret: "aws:secretsmanager/secret:Secret",
    webAcl: "aws:wafv2/webAcl:WebAcl",
} as const;

/** A planned resource with the stack that plans it. */
export type Res = PlannedResource & { stack: string };

/** Loose access to a resource's inputs and outputs. */
export type Obj = Record<string, unknown>;
export const inp = (r: Res): Obj => r.inputs as Obj;
export const out = (r: Res): Obj => r.outputs as Obj;

/** A DNS name as Route 53 compares it: lower case, no trailing dot, no `dualstack.` prefix. */
export function dnsName(name: unknown): string {
    return String(name ?? "")
        .toLowerCase()
        .replace(/\.$/, "")
        .replace(/^dualstack\./, "");
}

export class PlanIndex {
    readonly all: Res[];
    readonly plans: StackPlan[];
    private readonly byType = new Map<string, Res[]>();
    private readonly byRef = new Map<string, Res>();

    constructor(plans: StackPlan[]) {
        this.plans = plans;
        this.all = plans.flatMap((p) => p.resources.map((r) => ({ ...r, stack: p.stack })));
        for (const r of this.all) {
            const list = this.byType.get(r.type) ?? [];
            list.push(r);
            this.byType.set(r.type, list);
            // Every identifier another resource may use to point at this one.
            for (const ref of [r.id, out(r).arn, out(r).id, out(r).dnsName, out(r).domainName]) {
                if (typeof ref === "string" && ref !== "" && !this.byRef.has(ref.toLowerCase()))
                    this.byRef.set(ref.toLowerCase(), r);
            }
        }
    }

    ofType(type: string): Res[] {
        return this.byType.get(type) ?? [];
    }

    /** The resource an id, ARN or DNS name refers to. */
    ref(id: unknown): Res | undefined {
        return typeof id === "string" ? this.byRef.get(dnsName(id)) : undefined;
    }

    /** The stack plan of a stack. */
    plan(stack: string): StackPlan | undefined {
        return this.plans.find((p) => p.stack === stack);
    }
}

/** The classification tag the residency model puts on every data store. */
export const RESIDENCY_TAG = "data-residency";

/** A resource's residency classification (`global`, a zone, or undefined). */
export function classification(r: Res): string | undefined {
    const tags = (inp(r).tags ?? {}) as Obj;
    const v = tags[RESIDENCY_TAG];
    return typeof v === "string" ? v : undefined;
}

/** Stable sort helper. */
export function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
    return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
