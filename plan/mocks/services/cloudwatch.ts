/**
 * CloudWatch alarms: an alarm without a given name gets the provider's auto-name, which the
 * composite alarms' rules read (the ARN stays the generic one).
 */
import { ServiceMocks, first } from "../context";

export const cloudwatch: ServiceMocks = {
    synthesizers: {
        "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({
            outputs: { name: first(c.inputs, "name") ?? c.physicalName },
        }),
    },
};
