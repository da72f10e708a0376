// The pack's two log-delivery rules (policies/log-delivery.ts), on literal inputs: ELB's
// regional log-delivery account may only put objects, and a load balancer in the GDPR zone's
// Region carries that zone's data (its request logs).
// ALB access logs: same Region as the load balancer; older Regions deliver as the regional ELB
// account (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).

import { expect } from "chai";
import { ELB_ACCOUNT_LOG_REGIONS } from "../../components/cell/constants";
import {
    ELB_LOG_DELIVERY_ACCOUNTS,
    elbLogDeliveryRegion,
    loadBalancerPicks,
    putObjectsOnly,
} from "../../policies/log-delivery";
import { principalProblem, readDocument, Statement } from "../../policies/documents";
import { DEFAULT_ZONES, ResidencyConfig, ResourceView } from "../../policies/residency";

const config: ResidencyConfig = {
    zones: DEFAULT_ZONES,
    account: "123456789012",
    stores: {},
    gdprZone: "eu",
    gdprCountries: [],
};

const lb = (region: unknown): ResourceView => ({
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "cell-alb",
    urn: "urn:pulumi:s::p::aws:lb/loadBalancer:LoadBalancer::cell-alb",
    props: { region },
    providerRegion: undefined,
});

/** The one statement of a bucket policy granting `principal` `actions` on `resources`. */
function statement(principal: unknown, actions: string[], resources: string[]): Statement {
    const doc = readDocument(
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "S",
                    Effect: "Allow",
                    Principal: principal,
                    Action: actions,
                    Resource: resources,
                },
            ],
        }),
    );
    if (doc.kind !== "statements") throw new Error("not a document");
    return doc.statements[0];
}

const LOGS = "arn:aws:s3:::cell-alb-logs/alb/AWSLogs/123456789012/*";
const elb = (region: string) => ({ AWS: `arn:aws:iam::${ELB_LOG_DELIVERY_ACCOUNTS[region]}:root` });

describe("pack: log delivery", () => {
    it("maps the ELB log-delivery accounts of the stacks' Regions back to their Region", () => {
        expect(elbLogDeliveryRegion("156460612806")).to.equal("eu-west-1");
        expect(elbLogDeliveryRegion("127311923021")).to.equal("us-east-1");
        expect(elbLogDeliveryRegion("582318560864")).to.equal("ap-northeast-1");
        expect(elbLogDeliveryRegion("383597477331")).to.equal("ap-northeast-3");
        // Every Region where the cell grants the ELB account (components/cell) has one here,
        // which the offline plan's aws.elb.getServiceAccount returns too.
        for (const r of ELB_ACCOUNT_LOG_REGIONS)
            expect(ELB_LOG_DELIVERY_ACCOUNTS[r], r).to.match(/^\d{12}$/);
        expect(elbLogDeliveryRegion("123456789012")).to.equal(undefined);
    });

    it("counts only s3:PutObject on object ARNs as put-only", () => {
        expect(putObjectsOnly(["s3:PutObject"], [LOGS])).to.equal(true);
        expect(putObjectsOnly(["s3:PutObject", "s3:GetObject"], [LOGS])).to.equal(false);
        expect(putObjectsOnly(["s3:Put*"], [LOGS])).to.equal(false);
        expect(putObjectsOnly(["s3:PutObjectAcl"], [LOGS])).to.equal(false);
        expect(putObjectsOnly(["s3:PutObject"], ["arn:aws:s3:::cell-alb-logs"])).to.equal(false);
        expect(putObjectsOnly(["s3:PutObject"], "any")).to.equal(false);
    });

    it("lets the zone Region's ELB account put logs into a zone bucket, and nothing more", () => {
        const eu = ["eu-west-1"];
        const ok = statement(elb("eu-west-1"), ["s3:PutObject"], [LOGS]);
        expect(principalProblem(ok.principals[0], ok, "123456789012", eu)).to.equal(undefined);
        const other = statement(elb("us-east-1"), ["s3:PutObject"], [LOGS]);
        expect(principalProblem(other.principals[0], other, "123456789012", eu)).to.match(
            /account 127311923021, not the stack's account/,
        );
        const reads = statement(elb("eu-west-1"), ["s3:PutObject", "s3:GetObject"], [LOGS]);
        expect(principalProblem(reads.principals[0], reads, "123456789012", eu)).to.match(
            /account 156460612806/,
        );
        const stranger = statement(
            { AWS: "arn:aws:iam::999999999999:root" },
            ["s3:PutObject"],
            [LOGS],
        );
        expect(principalProblem(stranger.principals[0], stranger, "123456789012", eu)).to.match(
            /account 999999999999/,
        );
    });

    it("gives a load balancer in the GDPR zone's Region that zone's data, and none elsewhere", () => {
        expect(loadBalancerPicks(lb("eu-west-1"), config).map((p) => p.zone)).to.deep.equal(["eu"]);
        expect(loadBalancerPicks(lb("us-east-1"), config)).to.deep.equal([]);
        expect(loadBalancerPicks(lb("ap-northeast-1"), config)).to.deep.equal([]);
        expect(
            loadBalancerPicks(lb("eu-west-1"), { ...config, gdprZone: undefined }),
        ).to.deep.equal([]);
    });

    it("fails closed on a load balancer whose Region is not known until apply", () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        expect(loadBalancerPicks(lb(unknown), config).map((p) => p.zone)).to.deep.equal(["eu"]);
    });
});
