/** Secrets Manager: secret ARNs carry a 6-character suffix. */
import { ServiceMocks, first } from "../context";

export const secretsmanager: ServiceMocks = {
    synthesizers: {
        "aws:secretsmanager/secret:Secret": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            const arn = c.arn(`secret:${n}-${c.hash("sec", 6)}`);
            return { id: arn, outputs: { arn, name: n } };
        },
    },
    secretOutputs: {
        "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
    },
};
