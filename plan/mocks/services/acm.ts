/** ACM certificates, with the DNS validation records ACM gives. */
import { MOCK_ACCOUNT_ID, ServiceMocks, digest } from "../context";

export const acm: ServiceMocks = {
    synthesizers: {
        "aws:acm/certificate:Certificate": (c) => {
            const names = [
                c.inputs.domainName,
                ...((c.inputs.subjectAlternativeNames as string[] | undefined) ?? []),
            ].filter(Boolean) as string[];
            // ACM gives one validation CNAME per domain name per account, whichever certificate (or
            // stack, or region) asks, and a wildcard the same one as its base name:
            // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
            const record = (d: string) => {
                const base = d.replace(/^\*\./, "");
                const h = (salt: string) => digest("acm-validation", MOCK_ACCOUNT_ID, base, salt);
                return {
                    domainName: d,
                    resourceRecordName: `_${h("name").slice(0, 32)}.${base}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${h("value").slice(0, 32)}.${h("target").slice(0, 10)}.acm-validations.aws.`,
                };
            };
            return {
                id: c.arn(
                    `certificate/${c.hash("cert", 8)}-${c.hash("c2", 4)}-${c.hash("c3", 4)}-${c.hash("c4", 4)}-${c.hash("c5", 12)}`,
                ),
                outputs: {
                    arn: c.arn(
                        `certificate/${c.hash("cert", 8)}-${c.hash("c2", 4)}-${c.hash("c3", 4)}-${c.hash("c4", 4)}-${c.hash("c5", 12)}`,
                    ),
                    domainValidationOptions: names.map(record),
                },
            };
        },
    },
};
