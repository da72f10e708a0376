/** One compared line of the report, and its verdict. */
import type { Targets } from "../../config/targets";

/**
 * met: AWS promises a figure within the target. typical: AWS documents typical behaviour within
 * it but promises nothing that is. not-met: the design cannot meet it (or nothing is documented).
 */
export type Verdict = "met" | "typical" | "not-met";

/** One compared line; `exempt` lines are reported but never fail `--strict`. */
export interface Check {
    target: keyof Targets | "residency";
    subject: string;
    value: number | null;
    unit: "s" | "%" | "ms" | "";
    targetValue: number | null;
    verdict: Verdict;
    detail: string;
    exempt?: string;
    source?: string;
}
