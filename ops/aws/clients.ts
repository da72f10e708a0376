/**
 * The AWS SDK v3 clients of the runbooks. One factory per process: every client of a region is
 * created once and reused. `endpoint` points every client at one address (moto in the tests,
 * `npm run ops -- --endpoint`); without it the SDK's default endpoints and credential chain are
 * used, as in the Lambda.
 */
import { EDGE_REGION, GLOBAL_ACCELERATOR_API_REGION } from "../../model/aws";

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Each service's SDK package, loaded with its first client: a runbook loads the few it calls
 * (loading all nine took ~0.5 s of every `npm run ops` command line). In the night-mode Lambda
 * these requires are the runtime's own SDK (ops/bundle.ts leaves `@aws-sdk/*` out of the bundle).
 */
const sdk = {
    autoscaling: () =>
        require("@aws-sdk/client-application-auto-scaling") as typeof import("@aws-sdk/client-application-auto-scaling"),
    cloudwatch: () =>
        require("@aws-sdk/client-cloudwatch") as typeof import("@aws-sdk/client-cloudwatch"),
    ecs: () => require("@aws-sdk/client-ecs") as typeof import("@aws-sdk/client-ecs"),
    elasticache: () =>
        require("@aws-sdk/client-elasticache") as typeof import("@aws-sdk/client-elasticache"),
    fis: () => require("@aws-sdk/client-fis") as typeof import("@aws-sdk/client-fis"),
    accelerator: () =>
        require("@aws-sdk/client-global-accelerator") as typeof import("@aws-sdk/client-global-accelerator"),
    rds: () => require("@aws-sdk/client-rds") as typeof import("@aws-sdk/client-rds"),
    route53: () => require("@aws-sdk/client-route-53") as typeof import("@aws-sdk/client-route-53"),
    ssm: () => require("@aws-sdk/client-ssm") as typeof import("@aws-sdk/client-ssm"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface ClientOptions {
    /** One endpoint for every service and region (moto). Default: AWS. */
    endpoint?: string;
    /**
     * FIS's endpoint, when it differs from `endpoint` (moto has no FIS: the specs and
     * `--fis-endpoint` point it at a server of their own). Default: `endpoint`.
     */
    fisEndpoint?: string;
    /** Attempts per call. Default 3; 1 against an emulator (a 500 is not worth retrying). */
    maxAttempts?: number;
}

/** Caches one client per service and region. */
export class AwsClients {
    private readonly cache = new Map<string, unknown>();
    constructor(private readonly opts: ClientOptions = {}) {}

    private config(region: string, endpoint = this.opts.endpoint) {
        return {
            region,
            maxAttempts: this.opts.maxAttempts ?? (endpoint ? 1 : 3),
            ...(endpoint
                ? {
                      endpoint,
                      // An emulator accepts any credentials; never pick up real ones for it.
                      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
                  }
                : {}),
        };
    }

    private get<T>(key: string, make: () => T): T {
        if (!this.cache.has(key)) this.cache.set(key, make());
        return this.cache.get(key) as T;
    }

    autoscaling(region: string) {
        return this.get(
            `aas:${region}`,
            () => new (sdk.autoscaling().ApplicationAutoScalingClient)(this.config(region)),
        );
    }
    ecs(region: string) {
        return this.get(`ecs:${region}`, () => new (sdk.ecs().ECSClient)(this.config(region)));
    }
    accelerator() {
        return this.get(
            "ga",
            () =>
                new (sdk.accelerator().GlobalAcceleratorClient)(
                    this.config(GLOBAL_ACCELERATOR_API_REGION),
                ),
        );
    }
    ssm(region: string) {
        return this.get(`ssm:${region}`, () => new (sdk.ssm().SSMClient)(this.config(region)));
    }
    rds(region: string) {
        return this.get(`rds:${region}`, () => new (sdk.rds().RDSClient)(this.config(region)));
    }
    cloudwatch(region: string) {
        return this.get(
            `cw:${region}`,
            () => new (sdk.cloudwatch().CloudWatchClient)(this.config(region)),
        );
    }
    elasticache(region: string) {
        return this.get(
            `ec:${region}`,
            () => new (sdk.elasticache().ElastiCacheClient)(this.config(region)),
        );
    }

    fis(region: string) {
        const endpoint = this.opts.fisEndpoint ?? this.opts.endpoint;
        return this.get(
            `fis:${region}`,
            () => new (sdk.fis().FisClient)(this.config(region, endpoint)),
        );
    }
    /** Route 53 is global; its API (and its metrics) are in us-east-1. */
    route53() {
        return this.get("r53", () => new (sdk.route53().Route53Client)(this.config(EDGE_REGION)));
    }

    /** Closes every socket (the CLI and tests exit promptly). */
    destroy(): void {
        for (const c of this.cache.values()) (c as { destroy(): void }).destroy();
        this.cache.clear();
    }
}
