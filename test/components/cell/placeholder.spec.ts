/**
 * The default app is healthy: with the config's default image, what the task runs answers the
 * target group's health check on the target group's port, ECS's container health check asks the
 * same URL, and the Route 53 checks of the global stack ask the same path through the ALB. A real
 * image gets neither the placeholder's command nor its container health check.
 */
import { expect } from "chai";
import { RegionalCell, RegionalCellArgs } from "../../../components/cell";
import { DEFAULTS } from "../../../config/keys";
import {
    PLACEHOLDER_IMAGE,
    isPlaceholderImage,
    placeholderContainer,
} from "../../../model/placeholder-app";
import { RecordedResource } from "../../../plan/mocks";
import { T } from "../../../policies/types";
import { buildUnderMocks } from "../../helpers/component";
import { repoPlan } from "../../helpers/repo-plan";
import { albAnswer } from "./alb-model";

interface Container {
    image: string;
    command?: string[];
    healthCheck?: { command: string[]; interval: number; timeout: number; retries: number };
    portMappings: { containerPort: number }[];
}

/**
 * What a container running `sh -c "<script>"` on BusyBox answers to `GET http://<ip>:port/path`:
 * the script's `mkdir -p` / `echo … > FILE` steps create files, `httpd -f -p PORT -h HOME` then
 * serves the files under HOME on PORT, 200 for a file that exists, 404 for one that does not
 * (https://busybox.net/downloads/BusyBox.html#httpd); nothing listens on any other port. An
 * image without a command runs its own entrypoint: unknown to the model.
 */
function answer(c: Container, port: number, path: string): "200" | "404" | "refused" | "unknown" {
    if (!c.command) return "unknown";
    const [sh, flag, script] = c.command;
    expect([sh, flag]).to.deep.equal(["sh", "-c"]);
    const files = new Set<string>();
    let served: { port: number; home: string } | undefined;
    for (const step of script.split(" && ")) {
        let m: RegExpExecArray | null;
        if (/^mkdir -p \S+$/.test(step)) continue;
        if ((m = /^echo \S+ > (\S+)$/.exec(step))) files.add(m[1]);
        else if ((m = /^(?:exec )?httpd -f -p (\d+) -h (\S+)$/.exec(step)))
            served = { port: Number(m[1]), home: m[2] };
        else throw new Error(`step not modelled: ${step}`);
    }
    if (!served || served.port !== port) return "refused";
    return files.has(`${served.home}${path}`) ? "200" : "404";
}

/** The URL an ECS `CMD-SHELL` check with BusyBox `wget` asks (exit 0 = healthy). */
function probedUrl(c: Container): { port: number; path: string } {
    const [kind, cmd] = c.healthCheck!.command;
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
    expect(kind).to.equal("CMD-SHELL");
    const m = /^wget -q -O \/dev\/null http:\/\/127\.0\.0\.1:(\d+)(\/\S*) \|\| exit 1$/.exec(cmd);
    expect(m, cmd).to.not.equal(null);
    return { port: Number(m![1]), path: m![2] };
}

const containerOf = (td: RecordedResource): Container =>
    (JSON.parse(String(td.inputs.containerDefinitions)) as Container[])[0];

describe("The default app answers its health checks", function () {
    this.timeout(60000);

    it("is the config's default image", () => {
        expect(DEFAULTS.appImage).to.equal(PLACEHOLDER_IMAGE);
        expect(isPlaceholderImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/taskflow:1")).to.be
            .false;
    });

    it("on every region stack: the task answers 200 on the target group's port and path, ECS asks the same URL, Route 53 asks that path through the ALB", async () => {
        const planned = await repoPlan();
        const regions = planned.filter((p) => p.config.role !== "global");
        const global = planned.find((p) => p.config.role === "global")!;
        const r53Paths = global.mocks
            .ofType(T.healthCheck)
            .filter((h) => h.inputs.type === "HTTPS")
            .map((h) => h.inputs.resourcePath);
        expect(regions).to.have.length.greaterThan(1);
        for (const p of regions) {
            const [td] = p.mocks.ofType(T.ecsTaskDefinition);
            const [tg] = p.mocks.ofType(T.lbTargetGroup);
            const [svc] = p.mocks.ofType(T.ecsService);
            const c = containerOf(td);
            const hc = tg.inputs.healthCheck as { path: string; port: string; matcher: string };
            const port = tg.inputs.port as number;
            // The ALB checks each target on the target group's port ("traffic-port") and path,
            // healthy on the matcher's codes.
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
            expect(hc.port).to.equal("traffic-port");
            expect(c.image).to.equal(PLACEHOLDER_IMAGE);
            expect(c.portMappings.map((m) => m.containerPort)).to.deep.equal([port]);
            const lbs = svc.inputs.loadBalancers as { containerPort: number }[];
            expect(lbs.map((l) => l.containerPort)).to.deep.equal([port]);
            expect(answer(c, port, hc.path), p.plan.stack).to.equal(hc.matcher);
            // The model can fail: another path or port is not healthy.
            expect(answer(c, port, "/")).to.equal("404");
            expect(answer(c, port + 1, hc.path)).to.equal("refused");
            // ECS's container check asks the very URL the ALB asks, from inside the task.
            const probe = probedUrl(c);
            expect(probe).to.deep.equal({ port, path: hc.path });
            expect(answer(c, probe.port, probe.path)).to.equal("200");
            // Route 53 calls https://<region>.origin.<domain><path>: the ALB's 443 listener
            // forwards that path (no header) to the target group.
            expect(r53Paths).to.include(hc.path);
            const listeners = p.mocks.ofType(T.lbListener);
            const rules = p.mocks.ofType(T.lbListenerRule);
            const arn = (r: RecordedResource) => r.outputs.arn ?? r.inputs.arn;
            expect(
                albAnswer(listeners, rules, arn, { port: 443, path: hc.path, headers: {} }),
            ).to.equal("forward");
        }
    });

    it("follows a cell's own port and path, and leaves a real image's command alone", async () => {
        const base: RegionalCellArgs = {
            region: "eu-west-1",
            role: "secondary",
            zone: "eu",
            zones: ["eu"],
            domain: "example.org",
            vpcCidr: "10.50.0.0/16",
            mode: "warm-standby",
            capacity: { minTasks: 1, maxTasks: 2, natGateways: 1, dbInstances: 1, cacheNodes: 1 },
            image: PLACEHOLDER_IMAGE,
            containerPort: 9000,
            healthCheckPath: "/ops/ready",
            hostedZoneId: "ZLITERAL0001",
            originVerifySecret: "literal-secret",
            edgeResidency: { zone: "eu", region: "eu-west-1" },
        };
        const taskOf = async (args: RegionalCellArgs) => {
            const b = await buildUnderMocks(args.region, () =>
                new RegionalCell("cell", args).serve({}),
            );
            return containerOf(b.ofType(T.ecsTaskDefinition)[0]);
        };
        const own = await taskOf(base);
        expect(answer(own, 9000, "/ops/ready")).to.equal("200");
        expect(probedUrl(own)).to.deep.equal({ port: 9000, path: "/ops/ready" });
        const real = await taskOf({
            ...base,
            image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/taskflow:1.2.3",
        });
        expect(real.command).to.equal(undefined);
        expect(real.healthCheck).to.equal(undefined);
    });

    it("refuses a health path the shell command cannot carry verbatim", () => {
        expect(() => placeholderContainer(8080, "/health; rm -rf /")).to.throw(
            /health path "\/health; rm -rf \/" is not allowed/,
        );
        expect(() => placeholderContainer(8080, "/../etc")).to.throw(/is not allowed/);
        expect(() => placeholderContainer(0, "/health")).to.throw(/not a port/);
    });
});
