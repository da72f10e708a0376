/** Lambda functions (a published function has version 1). */
import { ServiceMocks, first } from "../context";

export const lambda: ServiceMocks = {
    synthesizers: {
        "aws:lambda/function:Function": (c) => {
            const fn = first(c.inputs, "name") ?? c.physicalName;
            const arn = c.arn(`function:${fn}`);
            return {
                id: fn,
                outputs: {
                    arn,
                    name: fn,
                    version: c.inputs.publish ? "1" : "$LATEST",
                    qualifiedArn: `${arn}:${c.inputs.publish ? "1" : "$LATEST"}`,
                    invokeArn: `arn:aws:apigateway:${c.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                },
            };
        },
    },
};
