/** KMS keys (multi-Region keys get the `mrk-` id), replica keys and aliases. */
import { ServiceMocks, first } from "../context";

export const kms: ServiceMocks = {
    synthesizers: {
        "aws:kms/key:Key": (c) => {
            const keyId = `${c.inputs.multiRegion ? "mrk-" : ""}${c.hash("key", 32)}`;
            return { id: keyId, outputs: { keyId, arn: c.arn(`key/${keyId}`) } };
        },
        "aws:kms/replicaKey:ReplicaKey": (c) => {
            const src = String(c.inputs.primaryKeyArn ?? "");
            const keyId = src.includes("/")
                ? src.slice(src.lastIndexOf("/") + 1)
                : `mrk-${c.hash("key", 32)}`;
            return { id: keyId, outputs: { keyId, arn: c.arn(`key/${keyId}`) } };
        },
        "aws:kms/alias:Alias": (c) => ({
            id: first(c.inputs, "name") ?? `alias/${c.name}`,
            outputs: { arn: c.arn(String(first(c.inputs, "name") ?? `alias/${c.name}`)) },
        }),
    },
};
