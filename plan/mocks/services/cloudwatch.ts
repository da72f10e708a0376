/**
 * CloudWatch alarms: an alarm without a given name gets the provider's auto-name, which the
 * composite alarms' rules read (the ARN stays the generic one). A composite alarm's ARN is AWS's
 * `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`: the dashboard shows it and FIS stop
 * conditions name it
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
 */
import { MOCK_ACCOUNT_ID, ServiceMocks, first } from "../context";

export const cloudwatch: ServiceMocks = {
    synthesizers: {
        "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({
            outputs: { name: first(c.inputs, "name") ?? c.physicalName },
        }),
        "aws:cloudwatch/compositeAlarm:CompositeAlarm": (c) => ({
            outputs: {
                arn: `arn:aws:cloudwatch:${c.region}:${MOCK_ACCOUNT_ID}:alarm:${first(c.inputs, "alarmName") ?? c.physicalName}`,
            },
        }),
    },
};
