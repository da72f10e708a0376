import { expect } from "chai";
import * as vm from "vm";
import type {
    CloudFrontRequest,
    CloudFrontRequestEvent,
    CloudFrontRequestResult,
    CloudFrontResultResponse,
} from "aws-lambda";
import { buildResidencyRouter, bundleResidencyRouter } from "../../edge/bundle";
import {
    COUNTRY_HEADER,
    GDPR_COUNTRIES,
    GDPR_HEADER,
    RESIDENCY_HEADER,
    ResidencyRouterConfig,
    createResidencyRouter,
    handler as unbundledHandler,
    validateRouterConfig,
} from "../../edge/residency-router";

const CONFIG: ResidencyRouterConfig = {
    residencyRegion: "eu-west-1",
    residentOrigin: "eu-resident.api.taskflow.example.com",
    routedOrigins: ["api.taskflow.example.com"],
    countries: [...GDPR_COUNTRIES],
};

type Handler = (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult>;

/** An origin-request event as CloudFront sends it (trimmed to what the router reads). */
function event(opts: {
    country?: string;
    origin?: string;
    s3?: boolean;
    eventType?: "origin-request" | "viewer-request";
    extraHeaders?: Record<string, string>;
}): CloudFrontRequestEvent {
    const headers: CloudFrontRequest["headers"] = {
        host: [{ key: "Host", value: opts.origin ?? "api.taskflow.example.com" }],
    };
    if (opts.country !== undefined) {
        headers["cloudfront-viewer-country"] = [
            { key: "CloudFront-Viewer-Country", value: opts.country },
        ];
    }
    for (const [k, v] of Object.entries(opts.extraHeaders ?? {}))
        headers[k] = [{ key: k, value: v }];
    const request: CloudFrontRequest = {
        clientIp: "203.0.113.10",
        method: "GET",
        uri: "/api/v1/projects",
        querystring: "",
        headers,
    };
    if (opts.eventType !== "viewer-request") {
        request.origin = opts.s3
            ? {
                  s3: {
                      authMethod: "none",
                      customHeaders: {},
                      domainName: "assets.s3.us-east-1.amazonaws.com",
                      path: "",
                  },
              }
            : {
                  custom: {
                      customHeaders: {},
                      domainName: opts.origin ?? "api.taskflow.example.com",
                      keepaliveTimeout: 5,
                      path: "",
                      port: 443,
                      protocol: "https",
                      readTimeout: 30,
                      sslProtocols: ["TLSv1.2"],
                  },
              };
    }
    return {
        Records: [
            {
                cf: {
                    config: {
                        distributionDomainName: "d111111abcdef8.cloudfront.net",
                        distributionId: "EDFDVBD6EXAMPLE",
                        eventType: opts.eventType ?? "origin-request",
                        requestId: "req-1",
                    },
                    request,
                },
            },
        ],
    } as CloudFrontRequestEvent;
}

const header = (r: CloudFrontRequestResult, name: string): string | undefined =>
    (r as CloudFrontRequest).headers[name]?.[0]?.value;

/** The same behaviour is required of the function and of its deployable bundle. */
function behaviour(label: string, getHandler: () => Handler) {
    describe(label, () => {
        let route: Handler;
        before(() => {
            route = getHandler();
        });

        // RE, GP, MQ, GF, YT, MF (outermost regions) and AX (Åland) are EU territory that
        // CloudFront reports under their own ISO codes, not FR / FI.
        for (const country of ["DE", "FR", "GB", "NO", "RE", "GP", "MQ", "GF", "YT", "MF", "AX"]) {
            it(`pins a ${country} viewer to the EU-only origin and tags it as GDPR`, async () => {
                const r = await route(event({ country }));
                expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
                    CONFIG.residentOrigin,
                );
                expect(header(r, "host")).to.equal(CONFIG.residentOrigin);
                expect(header(r, RESIDENCY_HEADER)).to.equal("eu-west-1");
                expect(header(r, GDPR_HEADER)).to.equal("true");
                expect(header(r, COUNTRY_HEADER)).to.equal(country);
            });
        }

        it("keeps a forwarded viewer Host header when it re-points an EU request", async () => {
            const ev = event({ country: "DE" });
            ev.Records[0].cf.request.headers.host = [
                { key: "Host", value: "app.taskflow.example.com" },
            ];
            const r = await route(ev);
            expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
                CONFIG.residentOrigin,
            );
            expect(header(r, "host")).to.equal("app.taskflow.example.com");
        });

        it("forwards an EU request already aimed at the EU-only origin unchanged", async () => {
            const r = await route(event({ country: "IE", origin: CONFIG.residentOrigin }));
            expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
                CONFIG.residentOrigin,
            );
            expect(header(r, RESIDENCY_HEADER)).to.equal("eu-west-1");
        });

        for (const origin of [
            "us-east-1.api.taskflow.example.com",
            "eu-west-1.api.taskflow.example.com",
            "evil.example.net",
        ]) {
            it(`rejects an EU request aimed at the non-EU origin ${origin} with a 403 JSON body`, async () => {
                const r = (await route(
                    event({ country: "DE", origin }),
                )) as CloudFrontResultResponse;
                expect(r.status).to.equal("403");
                expect(r.headers?.["content-type"]?.[0]?.value).to.equal("application/json");
                const body = JSON.parse(r.body ?? "{}");
                expect(body.error).to.equal("data_residency_violation");
                expect(body.requiredRegion).to.equal("eu-west-1");
                expect(body.message).to.contain(origin);
            });
        }

        it("rejects an EU request aimed at an S3 origin (not provably in the EU)", async () => {
            const r = (await route(event({ country: "FR", s3: true }))) as CloudFrontResultResponse;
            expect(r.status).to.equal("403");
        });

        // CH (revFADP), BL/PF/NC (overseas territories outside the EU), SJ (outside the EEA).
        for (const country of ["JP", "US", "CH", "BL", "PF", "NC", "SJ"]) {
            it(`passes a ${country} viewer through to the routed origin without a residency tag`, async () => {
                const r = await route(event({ country }));
                expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
                    "api.taskflow.example.com",
                );
                expect(header(r, RESIDENCY_HEADER)).to.equal(undefined);
                expect(header(r, GDPR_HEADER)).to.equal("false");
                expect(header(r, COUNTRY_HEADER)).to.equal(country);
            });
        }

        it("passes a JP viewer through even when it targets a region-pinned origin", async () => {
            const r = await route(
                event({ country: "JP", origin: "us-east-1.api.taskflow.example.com" }),
            );
            expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
                "us-east-1.api.taskflow.example.com",
            );
        });

        it("passes a request without a country header through, marked unknown", async () => {
            const r = await route(event({}));
            expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
                "api.taskflow.example.com",
            );
            expect(header(r, COUNTRY_HEADER)).to.equal("unknown");
            expect(header(r, GDPR_HEADER)).to.equal("false");
            expect(header(r, RESIDENCY_HEADER)).to.equal(undefined);
        });

        it("discards residency headers a viewer tries to set itself", async () => {
            const spoofed = { [RESIDENCY_HEADER]: "us-east-1", [GDPR_HEADER]: "false" };
            const eu = await route(event({ country: "DE", extraHeaders: spoofed }));
            expect(header(eu, RESIDENCY_HEADER)).to.equal("eu-west-1");
            expect(header(eu, GDPR_HEADER)).to.equal("true");
            const us = await route(
                event({ country: "US", extraHeaders: { [RESIDENCY_HEADER]: "eu-west-1" } }),
            );
            expect(header(us, RESIDENCY_HEADER)).to.equal(undefined);
        });

        it("tags but does not re-route on a viewer-request event (no origin yet)", async () => {
            const r = await route(event({ country: "DE", eventType: "viewer-request" }));
            expect((r as CloudFrontRequest).origin).to.equal(undefined);
            expect(header(r, RESIDENCY_HEADER)).to.equal("eu-west-1");
        });
    });
}

describe("edge/residency-router", () => {
    behaviour("as a function", () => createResidencyRouter(CONFIG));

    behaviour("as the deployable esbuild bundle (index.handler)", () => {
        const code = bundleResidencyRouter(CONFIG);
        const module = { exports: {} as { handler?: Handler } };
        // The bundle must be self-contained: no require() of anything at all.
        const sandboxRequire = (id: string) => {
            throw new Error(`bundle tried to require ${id}`);
        };
        vm.runInNewContext(code, {
            module,
            exports: module.exports,
            require: sandboxRequire,
            JSON,
        });
        expect(module.exports.handler, "bundle exports handler").to.be.a("function");
        return module.exports.handler as Handler;
    });

    it("counts the EU-27 with its territories under their own codes, the EEA states IS/LI/NO and GB as GDPR countries", () => {
        const eu27 =
            "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE";
        const territories = "GP GF MQ RE YT MF AX"; // TFEU Art. 349/355(1), 355(4)
        const expected = [eu27, territories, "IS LI NO", "GB"].join(" ").split(" ");
        expect(expected).to.have.length(27 + 7 + 3 + 1);
        expect([...GDPR_COUNTRIES].sort()).to.deep.equal([...expected].sort());
        expect(new Set(GDPR_COUNTRIES).size).to.equal(GDPR_COUNTRIES.length);
    });

    it("leaves out places where GDPR does not apply: CH, overseas territories, Svalbard, microstates, Crown Dependencies", () => {
        const outside = "CH BL PM PF NC WF TF GL FO AW CW SX BQ SJ AD MC SM VA GG JE IM GI".split(
            " ",
        );
        expect(GDPR_COUNTRIES.filter((c) => outside.includes(c))).to.deep.equal([]);
    });

    it("bakes the configuration: a bundle for another resident origin routes there", async () => {
        const code = bundleResidencyRouter({
            ...CONFIG,
            residentOrigin: "eu-only.api.other.example",
        });
        const module = { exports: {} as { handler?: Handler } };
        vm.runInNewContext(code, { module, exports: module.exports, JSON });
        const r = await module.exports.handler!(event({ country: "DE" }));
        expect((r as CloudFrontRequest).origin?.custom?.domainName).to.equal(
            "eu-only.api.other.example",
        );
    });

    it("builds byte-identical bundles for the same configuration (two esbuild runs; the kept one is the same)", () => {
        const first = buildResidencyRouter(CONFIG);
        expect(buildResidencyRouter({ ...CONFIG })).to.equal(first);
        expect(bundleResidencyRouter({ ...CONFIG })).to.equal(first);
        expect(bundleResidencyRouter({ ...CONFIG, countries: ["FR"] })).to.not.equal(first);
    });

    it("refuses to serve from the unbundled module, which has no baked configuration", async () => {
        let error: unknown;
        try {
            await unbundledHandler(event({ country: "DE" }));
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain("no configuration baked in");
    });

    it("rejects an invalid configuration naming the field", () => {
        expect(() => validateRouterConfig({ ...CONFIG, residentOrigin: "Not A Name" })).to.throw(
            /residentOrigin "Not A Name"/,
        );
        expect(() => validateRouterConfig({ ...CONFIG, countries: [] })).to.throw(/countries/);
        expect(() =>
            validateRouterConfig({ ...CONFIG, routedOrigins: [CONFIG.residentOrigin] }),
        ).to.throw(/must not contain the resident origin/);
        expect(() => bundleResidencyRouter({ ...CONFIG, residencyRegion: "europe" })).to.throw(
            /residencyRegion "europe"/,
        );
    });
});
