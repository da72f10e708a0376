/**
 * SSM Parameter Store: a parameter's id is its name; a hierarchical name (leading `/`) joins
 * `parameter` without a second slash (arn:aws:ssm:<region>:<account>:parameter/taskflow/...).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
 */
import { ServiceMocks, first } from "../context";

export const ssm: ServiceMocks = {
    synthesizers: {
        "aws:ssm/parameter:Parameter": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            const arn = c.arn(n.startsWith("/") ? `parameter${n}` : `parameter/${n}`);
            return { id: n, outputs: { arn, name: n, version: 1 } };
        },
    },
};
