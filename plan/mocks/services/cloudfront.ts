/** CloudFront (a global service): distributions. */
import { MOCK_ACCOUNT_ID, ServiceMocks } from "../context";

/** CloudFront's fixed alias hosted zone id. */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

export const cloudfront: ServiceMocks = {
    synthesizers: {
        "aws:cloudfront/distribution:Distribution": (c) => {
            const id = `E${c.hash("cf", 13).toUpperCase()}`;
            return {
                id,
                outputs: {
                    arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`,
                    domainName: `d${c.hash("cfd", 13)}.cloudfront.net`,
                    hostedZoneId: CLOUDFRONT_ZONE_ID,
                },
            };
        },
    },
    globalTypePrefixes: ["aws:cloudfront/"],
};
