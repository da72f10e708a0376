/**
 * `npm run bench [-- --runs N]`
 *
 * Measures the speed target of the offline plan: the plan of all stacks should take no more than
 * about 3× the time Node needs to load @pulumi/pulumi, @pulumi/aws and @pulumi/awsx. Both are
 * measured as fresh processes, N runs each (default 5), and the medians are compared. It is a
 * benchmark, not a test: it prints figures and exits 0 unless a run fails; `--max-ratio R` makes
 * it exit 1 when the ratio exceeds R (for CI gates).
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

function timeRun(args: string[]): number {
    const start = process.hrtime.bigint();
    const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 0) {
        throw new Error(`node ${args.join(" ")} exited ${res.status}:\n${res.stderr}`);
    }
    return ms;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): number {
    const argv = process.argv.slice(2);
    const opt = (name: string) => {
        const i = argv.indexOf(name);
        return i >= 0 ? Number(argv[i + 1]) : undefined;
    };
    const runs = opt("--runs") ?? 5;
    const maxRatio = opt("--max-ratio");
    const load = [
        "-e",
        "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx');",
    ];
    const plan = ["-r", "./scripts/register.js", "scripts/plan.ts", "--quiet"];
    timeRun(load); // warm the file-system cache once
    const loads: number[] = [];
    const plans: number[] = [];
    for (let i = 0; i < runs; i++) {
        loads.push(timeRun(load));
        plans.push(timeRun(plan));
    }
    const l = median(loads);
    const p = median(plans);
    const ratio = p / l;
    console.log(
        `load @pulumi/pulumi + @pulumi/aws + @pulumi/awsx: median ${l.toFixed(0)} ms over ${runs} runs`,
    );
    console.log(
        `offline plan of all stacks (npm run plan):          median ${p.toFixed(0)} ms over ${runs} runs`,
    );
    console.log(`ratio plan / load: ${ratio.toFixed(2)} (target <= 3)`);
    if (maxRatio !== undefined && ratio > maxRatio) {
        console.error(`ratio ${ratio.toFixed(2)} exceeds --max-ratio ${maxRatio}`);
        return 1;
    }
    return 0;
}

process.exit(main());
