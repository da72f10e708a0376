/**
 * Pulumi Deployments as code: for every stack of the topology, the stack's deployment settings
 * (GitHub source, `npm ci`, OIDC into AWS, optional PR previews), a scheduled `pulumi refresh`
 * and drift detection. Lives in the global stack, the last to deploy.
 *
 * Pulumi Deployments never runs `up` on its own here: `deployCommits` is off because a merge to
 * main is deployed by .github/workflows/deploy.yml in topology order; per-stack pushes from
 * Deployments would race that order. Drift on a stack that holds data is reported, never
 * auto-remediated.
 */
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { Topology, roleOf, stacksInOrder } from "../model/topology";

/** Pulumi Deployments settings of every stack (config/deployments.ts validates them). */
export interface DeploymentSettingsArgs {
    /** Create the settings and schedules; the component refuses to be built when false. */
    enabled: boolean;
    /** GitHub repository `owner/name` the deployments check out. */
    repo: string;
    /** Branch deployments run from. */
    branch: string;
    /** Cron (UTC, 5 fields) of the scheduled `pulumi refresh` of every stack. */
    refreshCron: string;
    /** Cron (UTC, 5 fields) of drift detection on every stack. */
    driftCron: string;
    /** IAM role Pulumi Deployments assumes through OIDC. */
    awsRoleArn: string;
    /** Let drift detection remediate the global stack (region stacks never auto-remediate). */
    autoRemediateGlobal: boolean;
    /** Pulumi Deployments previews pull requests through the GitHub app. */
    prPreviews: boolean;
}

/** Arguments of PulumiDeployments. */
export interface PulumiDeploymentsArgs {
    /** The topology: every stack in it gets settings and schedules (org and project from it). */
    topology: Topology;
    /** The settings (`taskflow:deployments`, validated by config/deployments.ts). Required. */
    settings: DeploymentSettingsArgs;
    /**
     * Commands run before each Pulumi operation. Default `["npm ci"]` (with Pulumi's own
     * dependency installation skipped, so the lockfile is honoured and nothing installs twice).
     */
    preRunCommands?: string[];
    /** Maximum OIDC session length Pulumi Deployments requests. Default `1h`. */
    oidcSessionDuration?: string;
}

/** Settings and schedules of one stack. */
export interface StackDeployments {
    settings: service.DeploymentSettings;
    refresh: service.DeploymentSchedule;
    drift: service.DriftSchedule;
}

/**
 * DeploymentSettings, a refresh DeploymentSchedule and a DriftSchedule per stack; every schedule
 * depends on its stack's settings (a schedule needs the settings to exist to run at all).
 */
export class PulumiDeployments extends pulumi.ComponentResource {
    /** Stacks managed, in deployment order. */
    public readonly stackNames: pulumi.Output<string[]>;
    /** Ids of the refresh schedules, by stack. */
    public readonly refreshScheduleIds: pulumi.Output<Record<string, string>>;
    /** Ids of the drift schedules, by stack. */
    public readonly driftScheduleIds: pulumi.Output<Record<string, string>>;
    /** The resources of each stack (for wiring and tests). */
    public readonly stacks: Record<string, StackDeployments>;

    constructor(name: string, args: PulumiDeploymentsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered.
        if (!args.settings.enabled) {
            throw new Error(
                `PulumiDeployments "${name}": taskflow:deployments.enabled is false; do not construct the component`,
            );
        }
        super("taskflow:delivery:Deployments", name, {}, opts);
        const { topology, settings: cfg } = args;
        this.stacks = {};
        const organization = topology.org;
        const project = topology.project;
        const preRunCommands = args.preRunCommands ?? ["npm ci"];

        for (const stack of stacksInOrder(topology)) {
            // Region stacks hold data (Aurora, DynamoDB, ElastiCache, buckets): never remediate there.
            const holdsData = roleOf(topology, stack) !== "global";
            const settings = new service.DeploymentSettings(
                `${name}-${stack}-settings`,
                {
                    organization,
                    project,
                    stack,
                    vcs: {
                        provider: "github",
                        repository: cfg.repo,
                        deployCommits: false,
                        previewPullRequests: cfg.prPreviews,
                        pullRequestTemplate: false,
                    },
                    sourceContext: { git: { branch: `refs/heads/${cfg.branch}` } },
                    operationContext: {
                        preRunCommands,
                        options: {
                            skipInstallDependencies: true,
                            skipIntermediateDeployments: true,
                        },
                        oidc: {
                            aws: {
                                roleARN: cfg.awsRoleArn,
                                sessionName: `pulumi-deployments-${stack}`.slice(0, 64),
                                duration: args.oidcSessionDuration ?? "1h",
                            },
                        },
                    },
                    cacheOptions: { enable: true },
                },
                { parent: this },
            );
            const refresh = new service.DeploymentSchedule(
                `${name}-${stack}-refresh`,
                {
                    organization,
                    project,
                    stack,
                    pulumiOperation: service.PulumiOperation.Refresh,
                    scheduleCron: cfg.refreshCron,
                },
                { parent: this, dependsOn: [settings] },
            );
            const drift = new service.DriftSchedule(
                `${name}-${stack}-drift`,
                {
                    organization,
                    project,
                    stack,
                    scheduleCron: cfg.driftCron,
                    autoRemediate: holdsData ? false : cfg.autoRemediateGlobal,
                },
                { parent: this, dependsOn: [settings] },
            );
            this.stacks[stack] = { settings, refresh, drift };
        }

        const entries = Object.entries(this.stacks);
        this.stackNames = pulumi.output(entries.map(([s]) => s));
        this.refreshScheduleIds = pulumi
            .all(entries.map(([s, r]) => r.refresh.id.apply((id) => [s, id] as const)))
            .apply((pairs) => Object.fromEntries(pairs));
        this.driftScheduleIds = pulumi
            .all(entries.map(([s, r]) => r.drift.id.apply((id) => [s, id] as const)))
            .apply((pairs) => Object.fromEntries(pairs));
        this.registerOutputs({
            stackNames: this.stackNames,
            refreshScheduleIds: this.refreshScheduleIds,
            driftScheduleIds: this.driftScheduleIds,
        });
    }
}
