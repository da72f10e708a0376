/**
 * CloudWatch Logs log groups, vended-log deliveries and SNS topics (names are the ids, as the
 * provider has them: a delivery source or destination is imported by name, a delivery by its id).
 */
import { ServiceMocks, first } from "../context";

export const logs: ServiceMocks = {
    synthesizers: {
        "aws:cloudwatch/logGroup:LogGroup": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return { id: n, outputs: { arn: c.arn(`log-group:${n}`), name: n } };
        },
        "aws:cloudwatch/logDeliverySource:LogDeliverySource": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return { id: n, outputs: { arn: c.arn(`delivery-source:${n}`), name: n } };
        },
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return {
                id: n,
                outputs: { arn: c.arn(`delivery-destination:${n}`), name: n },
            };
        },
        "aws:cloudwatch/logDelivery:LogDelivery": (c) => {
            const id = c.hash("delivery", 16);
            return { id, outputs: { arn: c.arn(`delivery:${id}`) } };
        },
        "aws:sns/topic:Topic": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return { id: c.arn(n), outputs: { arn: c.arn(n), name: n } };
        },
    },
    arnService: { cloudwatch: "logs" },
};
