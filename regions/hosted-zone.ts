/** The pre-existing public hosted zone every stack writes records in. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Topology } from "../config";

/**
 * The id of the pre-existing public hosted zone: given in the topology, or looked up by domain.
 * Region stacks never wait on the global stack for it.
 */
export function hostedZoneId(topology: Topology): pulumi.Output<string> {
    if (topology.hostedZoneId) return pulumi.output(topology.hostedZoneId);
    return aws.route53.getZoneOutput({ name: topology.domain, privateZone: false }).zoneId;
}
