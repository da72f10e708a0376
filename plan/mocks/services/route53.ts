/** Route 53 (a global service): health checks and records. */
import { ServiceMocks } from "../context";

export const route53: ServiceMocks = {
    synthesizers: {
        "aws:route53/healthCheck:HealthCheck": (c) => ({
            id: `${c.hash("hc", 8)}-${c.hash("hc2", 4)}-${c.hash("hc3", 4)}-${c.hash("hc4", 4)}-${c.hash("hc5", 12)}`,
        }),
        "aws:route53/record:Record": (c) => ({
            id: `${c.inputs.zoneId}_${c.inputs.name}_${c.inputs.type}${c.inputs.setIdentifier ? `_${c.inputs.setIdentifier}` : ""}`,
            outputs: { fqdn: c.inputs.name },
        }),
    },
    globalTypePrefixes: ["aws:route53/"],
};
