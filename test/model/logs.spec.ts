/**
 * The landing buckets' retention: staging that replicates into the log archive, so a week, and
 * never longer than the archive keeps the logs.
 */
import { expect } from "chai";
import { LANDING_RETENTION_DAYS, landingRetentionDays } from "../../model/logs";

describe("log landing retention", () => {
    it("keeps a week under an archive that keeps longer", () => {
        expect(LANDING_RETENTION_DAYS).to.equal(7);
        expect(landingRetentionDays(365)).to.equal(7);
        expect(landingRetentionDays(3653)).to.equal(7);
        expect(landingRetentionDays(7)).to.equal(7);
    });

    it("never keeps logs longer than the archive does", () => {
        expect(landingRetentionDays(3)).to.equal(3);
        expect(landingRetentionDays(1)).to.equal(1);
    });
});
