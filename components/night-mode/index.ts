/**
 * NightMode: the scheduled active-passive switch, as the global stack deploys it.
 *
 *   EventBridge Scheduler (time zone from config, default Asia/Tokyo; DLQ)
 *     22:00 {"action":"night"} ─┐
 *     08:00 {"action":"day"}   ─┼─► Lambda controller (ops/night-mode-handler.ts, esbuild bundle)
 *   every deploy {"action":"sync"}┘     ├─ DNS gate metric TaskFlow/NightMode Drained (EdgeRouting's
 *   (aws.lambda.Invocation, CRUD:      │    gate alarms → Route 53 health checks → gate records)
 *    its delete restores everything)   ├─ Global Accelerator traffic dial (us-west-2 API)
 *                                       ├─ Application Auto Scaling min/max of each drained cell
 *                                       ├─ ECS desired count (on the way up)
 *                                       └─ SSM hold and lock parameters
 *
 * What it changes at runtime is excluded from the program's diffs (RegionalCell's scalable
 * target and ECS service, EdgeRouting's endpoint groups), so a refresh stays clean; the
 * clean-refresh spec checks that for every region it touches. How it works and how to operate
 * it: docs/operations.md, "Night mode".
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../../model/aws";
import { namePrefix } from "../../model/naming";
import { componentTags } from "../../model/tags";
import { CellFacts, NightModeSpec, planNightMode } from "../../model/night-mode";
import { withResidencyCheck } from "../shared/residency";
import { NightCellInputs, NightModeArgs } from "./args";
import { NightContext } from "./context";
import { controller } from "./controller";
import { nightAlarms } from "./alarms";
import { schedules } from "./schedules";

export * from "./args";

export class NightMode extends pulumi.ComponentResource {
    /** The controller's function name (`aws lambda invoke` for an emergency restore). */
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    /** The controller's spec; `npm run ops -- night-mode <action> --spec <file>` reads it. */
    public readonly spec: pulumi.Output<NightModeSpec>;
    /** Names of the night and day schedules. */
    public readonly scheduleNames: pulumi.Output<string[]>;

    constructor(name: string, args: NightModeArgs, opts?: pulumi.ComponentResourceOptions) {
        validateNightModeArgs(name, args);
        super(
            "taskflow:ops:NightMode",
            name,
            {},
            withResidencyCheck(opts, Object.keys(args.topology.zones)),
        );
        const p = { parent: this };
        const environment = args.environment;
        this.spec = controllerSpec(args);
        const ctx: NightContext = {
            name,
            parent: this,
            region: args.controllerRegion,
            environment,
            prefix: namePrefix(environment),
            settings: args.settings,
            spec: this.spec,
            tags: componentTags(environment, "night-mode"),
            account: aws.getCallerIdentityOutput({}, p).accountId,
            partition: aws.getPartitionOutput({}, p).partition,
        };

        const { fn, policy } = controller(ctx);
        const sched = schedules(ctx, fn);
        nightAlarms(ctx, fn, sched, args.alarmTopicArn);
        // Every change of the spec (a cell's capacity, its endpoint group, the roles) reaches the
        // cells the controller owns now, in the phase the clock calls for; deleting this
        // resource (night mode removed) invokes the controller with tf.action=delete:
        // everything restored.
        new aws.lambda.Invocation(
            `${name}-sync`,
            {
                region: ctx.region,
                functionName: fn.name,
                input: this.spec.apply((sp) =>
                    JSON.stringify({
                        action: "sync",
                        spec: createHash("sha256")
                            .update(JSON.stringify(sp))
                            .digest("hex")
                            .slice(0, 16),
                    }),
                ),
                lifecycleScope: "CRUD",
            },
            { parent: this, dependsOn: [fn, policy] },
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.scheduleNames = pulumi.all([sched.night.name, sched.day.name]);
        this.registerOutputs({
            functionName: this.functionName,
            functionArn: this.functionArn,
            spec: this.spec,
            scheduleNames: this.scheduleNames,
        });
    }
}

/** Refuses a controller in a drained region, or a topology region without its cell. */
function validateNightModeArgs(name: string, args: NightModeArgs): void {
    const active = args.settings.activeRegions;
    if (!active.includes(args.controllerRegion)) {
        // Validated in config/night-mode.ts as well; guarded here before anything is registered.
        throw new Error(
            `NightMode ${name}: controllerRegion ${args.controllerRegion} is not active at night (${active.join(", ")}); the controller must not run in a region it scales down`,
        );
    }
    for (const r of args.topology.regions) {
        if (!args.cells[r.region]) {
            throw new Error(`NightMode ${name}: no cell outputs for region ${r.region}`);
        }
    }
}

/** The spec, from the cells' outputs: which cells are drained, their capacities. */
function controllerSpec(args: NightModeArgs): pulumi.Output<NightModeSpec> {
    return pulumi
        .all(
            Object.fromEntries(
                Object.entries(args.cells).map(([r, c]) => [r, pulumi.output(c)]),
            ) as Record<string, pulumi.Output<pulumi.Unwrap<NightCellInputs>>>,
        )
        .apply((cells) =>
            planNightMode(
                args.topology,
                args.settings,
                Object.fromEntries(
                    Object.entries(cells).map(([r, c]): [string, CellFacts] => [
                        r,
                        {
                            clusterName: c.clusterName,
                            serviceName: c.serviceName,
                            resourceId: c.resourceId,
                            minTasks: c.minTasks,
                            maxTasks: c.maxTasks,
                            ...(c.endpointGroupArn ? { endpointGroupArn: c.endpointGroupArn } : {}),
                        },
                    ]),
                ),
                {
                    environment: args.environment,
                    holdRegion: args.controllerRegion,
                    gateRegion: args.gateRegion ?? EDGE_REGION,
                },
            ),
        );
}
