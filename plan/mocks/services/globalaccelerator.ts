/** Global Accelerator (a global service): accelerators, listeners, endpoint groups. */
import { MOCK_ACCOUNT_ID, ServiceMocks, first } from "../context";

/** Global Accelerator's fixed alias hosted zone id. */
export const GLOBAL_ACCELERATOR_ZONE_ID = "Z2BJ6XQ5FK7U4H";

export const globalaccelerator: ServiceMocks = {
    synthesizers: {
        "aws:globalaccelerator/accelerator:Accelerator": (c) => {
            const id = `arn:aws:globalaccelerator::${MOCK_ACCOUNT_ID}:accelerator/${c.hash("ga", 8)}-${c.hash("ga2", 4)}-${c.hash("ga3", 4)}-${c.hash("ga4", 4)}-${c.hash("ga5", 12)}`;
            const ip = (salt: string) =>
                `${75 + (parseInt(c.hash(salt, 2), 16) % 25)}.2.${parseInt(c.hash(`${salt}a`, 2), 16)}.${parseInt(c.hash(`${salt}b`, 2), 16)}`;
            return {
                id,
                outputs: {
                    dnsName: `a${c.hash("gadns", 16)}.awsglobalaccelerator.com`,
                    hostedZoneId: GLOBAL_ACCELERATOR_ZONE_ID,
                    ipSets: [{ ipFamily: "IPv4", ipAddresses: [ip("ip1"), ip("ip2")] }],
                },
            };
        },
        // Global Accelerator ARNs nest: accelerator/<id>/listener/<id>/endpoint-group/<id>.
        "aws:globalaccelerator/listener:Listener": (c) => {
            const acc =
                first(c.inputs, "acceleratorArn") ??
                `arn:aws:globalaccelerator::${MOCK_ACCOUNT_ID}:accelerator/${c.hash("acc", 8)}`;
            const id = `${acc}/listener/${c.hash("lis", 8)}`;
            return { id, outputs: { arn: id } };
        },
        "aws:globalaccelerator/endpointGroup:EndpointGroup": (c) => {
            const lis =
                first(c.inputs, "listenerArn") ??
                `arn:aws:globalaccelerator::${MOCK_ACCOUNT_ID}:accelerator/${c.hash("acc", 8)}/listener/${c.hash("lis", 8)}`;
            const id = `${lis}/endpoint-group/${c.hash("eg", 12)}`;
            return { id, outputs: { arn: id } };
        },
    },
    globalTypePrefixes: ["aws:globalaccelerator/"],
};
