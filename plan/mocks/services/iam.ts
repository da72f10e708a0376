/** IAM (a global service): roles and managed policies. */
import { MOCK_ACCOUNT_ID, ServiceMocks, first } from "../context";

export const iam: ServiceMocks = {
    synthesizers: {
        "aws:iam/role:Role": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return {
                id: n,
                outputs: {
                    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${n}`,
                    name: n,
                    uniqueId: `AROA${c.hash("role", 17).toUpperCase()}`,
                },
            };
        },
        "aws:iam/policy:Policy": (c) => {
            const n = first(c.inputs, "name") ?? c.physicalName;
            return {
                id: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${n}`,
                outputs: { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${n}`, name: n },
            };
        },
    },
    secretOutputs: {
        "aws:iam/accessKey:AccessKey": ["secret", "sesSmtpPasswordV4", "encryptedSecret"],
    },
    globalTypePrefixes: ["aws:iam/", "aws:organizations/"],
};
