/** Random passwords, ids and strings (@pulumi/random). */
import { ServiceMocks } from "../context";

export const random: ServiceMocks = {
    synthesizers: {
        "random:index/randomPassword:RandomPassword": (c) => ({
            outputs: {
                result: `mock-${c.hash("pw", 24)}`,
                bcryptHash: `$2a$10$${c.hash("bc", 22)}`,
            },
        }),
        "random:index/randomId:RandomId": (c) => ({
            outputs: {
                hex: c.hash("hex", 16),
                b64Url: c.hash("b64", 11),
                dec: String(parseInt(c.hash("d", 8), 16)),
            },
        }),
        "random:index/randomString:RandomString": (c) => ({
            outputs: { result: c.hash("str", Number(c.inputs.length ?? 16)) },
        }),
    },
    secretOutputs: { "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"] },
};
