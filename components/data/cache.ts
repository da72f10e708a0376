/**
 * This region's ElastiCache (Valkey) member: the primary creates its replication group and the
 * Global Datastore; a secondary's group joins it. One AUTH token for the whole Datastore, kept in
 * Secrets Manager for the tasks.
 *
 * Why one token, generated in the primary and read by the secondaries from the primary stack's
 * secret output `cacheAuthToken`: AWS models AUTH as a setting of the Global Datastore
 * (`AuthTokenEnabled` of GlobalReplicationGroup in the ElastiCache API reference; members inherit
 * encryption and auth settings from it), and after a promotion any member may become the writer;
 * a token per region would only work if AWS accepted members with diverging passwords, which it
 * does not document. RBAC user groups would need ElastiCache users and user groups created in
 * every region and kept identical: more resources, same outcome.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DataContext, childOf, primaryRefs, protectedChildOf } from "./context";
import { names } from "./names";
import {
    CACHE_ENGINE,
    CACHE_ENGINE_VERSION,
    CACHE_SNAPSHOT_RETENTION_DAYS,
    PRIMARY_MEMBER_IGNORE_CHANGES,
} from "./rules";

export interface CacheMember {
    /** The Global Datastore's AUTH token (a secret). */
    authToken: pulumi.Output<string>;
    group: aws.elasticache.ReplicationGroup;
    datastoreId: pulumi.Output<string>;
    /** The secret holding the AUTH token (the tasks read it). */
    secret: aws.secretsmanager.Secret;
    /** This region's replication group id. */
    groupId: string;
}

export function cacheMember(ctx: DataContext, key: pulumi.Output<string>): CacheMember {
    const { name } = ctx;
    const cacheSubnets = new aws.elasticache.SubnetGroup(
        `${name}-cache-subnets`,
        {
            description: "Isolated subnets of the cell",
            subnetIds: ctx.network.isolatedSubnetIds,
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    const authToken = ctx.isPrimary
        ? new random.RandomPassword(
              `${name}-cache-auth-token`,
              // ElastiCache AUTH tokens: 16–128 printable characters, a restricted symbol set.
              { length: 64, special: false },
              childOf(ctx),
          ).result
        : pulumi.secret(pulumi.output(primaryRefs(ctx).cacheAuthToken));
    const groupId = names.cacheGroup(ctx.environment, ctx.region);
    const nodes = ctx.cacheNodes;
    const common = {
        replicationGroupId: groupId,
        numCacheClusters: nodes,
        automaticFailoverEnabled: nodes > 1,
        multiAzEnabled: nodes > 1,
        kmsKeyId: key,
        authToken,
        subnetGroupName: cacheSubnets.name,
        securityGroupIds: [ctx.network.dataSecurityGroupId],
        snapshotRetentionLimit: CACHE_SNAPSHOT_RETENTION_DAYS,
        // On delete the provider first disassociates a secondary from the Global Datastore
        // (DisassociateGlobalReplicationGroup), and a primary can only be deleted after the
        // Global Datastore is gone (it is retained, RetainPrimaryReplicationGroup), so each
        // group is standalone when DeleteReplicationGroup takes this final snapshot
        // (terraform-provider-aws internal/service/elasticache/replication_group.go,
        // resourceReplicationGroupDelete). The Global Datastore itself has no data of its own
        // and no snapshot.
        finalSnapshotIdentifier: `${groupId}-final`,
        tags: ctx.tags,
    };
    const { group, datastoreId } = ctx.isPrimary
        ? datastorePrimary(ctx, common)
        : datastoreSecondary(ctx, common);
    const secret = new aws.secretsmanager.Secret(
        `${name}-cache-auth-secret`,
        { description: `ElastiCache AUTH token of ${groupId}`, kmsKeyId: key, tags: ctx.tags },
        protectedChildOf(ctx),
    );
    new aws.secretsmanager.SecretVersion(
        `${name}-cache-auth-secret-value`,
        { secretId: secret.id, secretString: authToken },
        childOf(ctx),
    );
    return { authToken, group, datastoreId, secret, groupId };
}

type GroupSettings = Omit<aws.elasticache.ReplicationGroupArgs, "description">;

/** The primary's group (engine, version, node type, encryption) and the Global Datastore. */
function datastorePrimary(ctx: DataContext, common: GroupSettings) {
    const group = new aws.elasticache.ReplicationGroup(
        `${ctx.name}-cache`,
        {
            ...common,
            description: `TaskFlow ${ctx.environment} cache, Global Datastore primary (${ctx.region})`,
            engine: CACHE_ENGINE,
            engineVersion: CACHE_ENGINE_VERSION,
            nodeType: ctx.cacheNodeType,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
        },
        // Set at creation; afterwards the Global Datastore below owns them (a direct change on
        // a member would bypass it).
        { ...protectedChildOf(ctx), ignoreChanges: [...PRIMARY_MEMBER_IGNORE_CHANGES] },
    );
    const datastore = new aws.elasticache.GlobalReplicationGroup(
        `${ctx.name}-cache-global`,
        {
            globalReplicationGroupIdSuffix: names.globalDatastoreSuffix(ctx.environment),
            globalReplicationGroupDescription: `TaskFlow ${ctx.environment} Global Datastore`,
            primaryReplicationGroupId: group.id,
            // Once the primary is a member, node type and engine version are the Global
            // Datastore's (ModifyGlobalReplicationGroup scales and upgrades every member; the
            // provider manages a member's version through it: elasticache/globalReplicationGroup,
            // "Managing Redis OOS/Valkey Engine Versions"). Owned here, ignored on the member.
            cacheNodeType: ctx.cacheNodeType,
            engineVersion: CACHE_ENGINE_VERSION,
        },
        {
            parent: ctx.parent,
            // Deleting it drops every secondary's replication.
            protect: true,
            // A regional failover promotes a secondary and rewrites this field; a change
            // replaces the whole Global Datastore (terraform-provider-aws#46121), so the program
            // never diffs it after a failover.
            ignoreChanges: ["primaryReplicationGroupId"],
        },
    );
    return { group, datastoreId: datastore.globalReplicationGroupId };
}

/**
 * A secondary's group joins the Global Datastore. Engine, version, node type, parameter group and
 * encryption flags come from the Global Datastore; the provider refuses them next to
 * globalReplicationGroupId (ConflictsWith in terraform-provider-aws
 * internal/service/elasticache/replication_group.go).
 */
function datastoreSecondary(ctx: DataContext, common: GroupSettings) {
    const datastoreId = pulumi.output(primaryRefs(ctx).globalDatastoreId);
    const group = new aws.elasticache.ReplicationGroup(
        `${ctx.name}-cache`,
        {
            ...common,
            description: `TaskFlow ${ctx.environment} cache, Global Datastore secondary (${ctx.region})`,
            globalReplicationGroupId: datastoreId,
        },
        protectedChildOf(ctx),
    );
    return { group, datastoreId };
}
