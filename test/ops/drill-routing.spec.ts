/**
 * The drill's routing verdict (ops/drills/routing.ts) on literal series: who answered a region's
 * failover name each minute (Route 53 active-passive failover: the primary while its check is
 * healthy, else the healthy secondary,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html), and when
 * the observation may end.
 */
import { expect } from "chai";
import { Point, RoutingInput, analyseRouting, settled } from "../../ops/drills";

const T0 = Date.parse("2026-01-05T10:00:00Z");
const at = (m: number) => new Date(T0 + m * 60_000);
/** One point per minute from 0, stamped at :20, valued `f(m)`; `skip` leaves minutes out. */
const pts = (n: number, f: (m: number) => number, skip: number[] = []): Point[] =>
    Array.from({ length: n }, (_, m) => m)
        .filter((m) => !skip.includes(m))
        .map((m) => ({ t: new Date(T0 + m * 60_000 + 20_000), v: f(m) }));

const input = (over: Partial<RoutingInput>): RoutingInput => ({
    region: "eu-west-1",
    partner: "us-east-1",
    windowStart: at(0),
    start: at(3),
    end: at(6),
    health: { "eu-west-1": pts(10, () => 1), "us-east-1": pts(10, () => 1) },
    requests: {},
    ...over,
});
const answers = (r: ReturnType<typeof analyseRouting>) =>
    r.segments.map(
        (s) =>
            `${(s.from.getTime() - T0) / 60_000}-${(s.to.getTime() - T0) / 60_000} ${s.answered}`,
    );

describe("ops: what the routing did during a drill", () => {
    it("names the partner while the region's check fails, and nobody when both fail", () => {
        const r = analyseRouting(
            input({
                health: {
                    "eu-west-1": pts(10, (m) => (m >= 4 && m < 8 ? 0 : 1)),
                    "us-east-1": pts(10, (m) => (m === 6 ? 0 : 1)),
                },
            }),
        );
        expect(answers(r)).to.deep.equal([
            "0-4 eu-west-1",
            "4-6 us-east-1",
            "6-7 none",
            "7-8 us-east-1",
            "8-10 eu-west-1",
        ]);
        expect(r.movedAt).to.deep.equal(at(4));
        expect(r.movedTo).to.equal("us-east-1");
        expect(r.backAt).to.deep.equal(at(8));
    });

    it("does not count a failure before the experiment's start as the drill moving traffic", () => {
        const r = analyseRouting(
            input({
                health: {
                    "eu-west-1": pts(10, (m) => (m === 1 ? 0 : 1)),
                    "us-east-1": pts(10, () => 1),
                },
            }),
        );
        expect(answers(r)[1]).to.equal("1-2 us-east-1");
        expect(r.movedAt).to.equal(undefined);
    });

    it("lets a minute without datapoints neither split a stretch nor end it", () => {
        const r = analyseRouting(
            input({
                health: {
                    "eu-west-1": pts(10, (m) => (m >= 4 ? 0 : 1), [5]),
                    "us-east-1": pts(10, () => 1, [7]),
                },
            }),
        );
        expect(answers(r)).to.deep.equal(["0-4 eu-west-1", "4-10 us-east-1"]);
        expect(r.backAt).to.equal(undefined);
    });

    it("sums each ALB's requests per stretch", () => {
        const r = analyseRouting(
            input({
                health: {
                    "eu-west-1": pts(6, (m) => (m >= 4 ? 0 : 1)),
                    "us-east-1": pts(6, () => 1),
                },
                requests: { "eu-west-1": pts(6, (m) => m + 1), "us-east-1": pts(6, () => 10) },
            }),
        );
        expect(r.segments.map((s) => s.requests)).to.deep.equal([
            { "eu-west-1": 1 + 2 + 3 + 4, "us-east-1": 40 },
            { "eu-west-1": 5 + 6, "us-east-1": 20 },
        ]);
    });

    it("settles only once the series reach the experiment's end with the region answering again", () => {
        const away = (n: number) =>
            input({
                health: {
                    "eu-west-1": pts(n, (m) => (m >= 4 && m < 8 ? 0 : 1)),
                    "us-east-1": pts(n, () => 1),
                },
            });
        for (const [n, done] of [
            [5, false],
            [8, false],
            [9, true],
        ] as const) {
            const i = away(n);
            expect(settled(analyseRouting(i), i), `${n} minutes of data`).to.equal(done);
        }
        // Never moved: done once the data reach the end.
        const calm = (n: number) =>
            input({ health: { "eu-west-1": pts(n, () => 1), "us-east-1": pts(n, () => 1) } });
        expect(settled(analyseRouting(calm(6)), calm(6))).to.equal(false);
        expect(settled(analyseRouting(calm(7)), calm(7))).to.equal(true);
    });
});
