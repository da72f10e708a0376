/** CloudWatch Logs log groups and SNS topics (the names are their ids). */
import { ServiceMocks, first } from "../context";

export const logs: ServiceMocks = {
    synthesizers: {
        "aws:cloudwatch/logGroup:LogGroup": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return { id: n, outputs: { arn: c.arn(`log-group:${n}`), name: n } };
        },
        "aws:sns/topic:Topic": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return { id: c.arn(n), outputs: { arn: c.arn(n), name: n } };
        },
    },
    arnService: { cloudwatch: "logs" },
};
