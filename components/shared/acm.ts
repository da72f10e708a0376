/** DNS validation of ACM certificates, shared by the cells' and the edge's certificates. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * How every stack writes a DNS validation record that more than one certificate uses (ACM gives
 * one CNAME per domain name per account, whichever region or certificate asks): identical inputs
 * in every writer, so no stack fights another over ttl, any writer may overwrite the record, and
 * none deletes it on destroy (the other certificates renew with it).
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export const SHARED_VALIDATION_RECORD = { ttl: 60, allowOverwrite: true, retainOnDelete: true };

/**
 * The Route 53 record that DNS-validates `domain` for `certificate`. `shared` records (names that
 * other stacks' certificates also cover) are written per {@link SHARED_VALIDATION_RECORD}.
 */
export function acmValidationRecord(
    name: string,
    args: {
        certificate: aws.acm.Certificate;
        domain: string;
        zoneId: pulumi.Input<string>;
        shared: boolean;
    },
    opts: pulumi.CustomResourceOptions,
): aws.route53.Record {
    const dvo = args.certificate.domainValidationOptions.apply((all) => {
        const o = all.find((x) => x.domainName === args.domain);
        if (!o)
            throw new Error(`${name}: ACM returned no DNS validation record for ${args.domain}`);
        return o;
    });
    const { ttl, allowOverwrite, retainOnDelete } = SHARED_VALIDATION_RECORD;
    return new aws.route53.Record(
        name,
        {
            zoneId: args.zoneId,
            name: dvo.apply((o) => o.resourceRecordName!),
            type: dvo.apply((o) => o.resourceRecordType!),
            records: [dvo.apply((o) => o.resourceRecordValue!)],
            ttl,
            allowOverwrite: args.shared ? allowOverwrite : false,
        },
        { ...opts, retainOnDelete: args.shared ? retainOnDelete : false },
    );
}
