/** DynamoDB tables (stream ARNs when the stream is on). */
import { ServiceMocks, first } from "../context";

export const dynamodb: ServiceMocks = {
    synthesizers: {
        "aws:dynamodb/table:Table": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return {
                id: n,
                outputs: {
                    arn: c.arn(`table/${n}`),
                    streamArn: c.inputs.streamEnabled
                        ? c.arn(`table/${n}/stream/2026-01-01T00:00:00.000`)
                        : undefined,
                },
            };
        },
    },
};
