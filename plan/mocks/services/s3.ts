/** S3 buckets (the bucket name is the id). */
import { ServiceMocks, first } from "../context";

export const s3: ServiceMocks = {
    synthesizers: {
        "aws:s3/bucket:Bucket": (c) => {
            const b = first(c.inputs, "bucket") ?? `${c.name.slice(0, 40)}-${c.hash("b", 7)}`;
            return {
                id: b,
                outputs: {
                    bucket: b,
                    arn: `arn:aws:s3:::${b}`,
                    bucketRegionalDomainName: `${b}.s3.${c.region}.amazonaws.com`,
                    region: c.region,
                },
            };
        },
    },
};
