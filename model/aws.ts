/**
 * Facts about AWS the whole program shares: the regions it can address, where the single-region
 * services live, Route 53's continent codes. Pure constants, importable from anywhere (config,
 * components, the runbooks, the Lambda bundles).
 */

/** Commercial AWS regions this program knows how to address. */
export const AWS_REGIONS: readonly string[] = [
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/**
 * The region of CloudFront's certificates, Lambda@Edge functions and CLOUDFRONT-scope WAF ACLs,
 * hence of the `global` stack's default provider.
 */
export const EDGE_REGION = "us-east-1";

/**
 * Global Accelerator's control-plane API is only served from us-west-2 ("you must specify the US
 * West (Oregon) Region to create, update, or otherwise work with accelerators"):
 * https://docs.aws.amazon.com/global-accelerator/latest/api/API_CreateAccelerator.html
 */
export const GLOBAL_ACCELERATOR_API_REGION = "us-west-2";

/** Route 53 geolocation continent codes. */
export const CONTINENTS: readonly string[] = ["AF", "AN", "AS", "EU", "OC", "NA", "SA"];

/**
 * How many other regions an ElastiCache Global Datastore replicates its primary cluster to ("You
 * can set up replication for a primary cluster from one AWS Region to a secondary cluster in up to
 * two other AWS Regions"):
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
 */
export const GLOBAL_DATASTORE_MAX_SECONDARIES = 2;
