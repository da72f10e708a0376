/**
 * Builds a component from literal args under fresh recording mocks (no stack config at all, as
 * awsx tests FargateService from a literal `baseArgs`), and returns what it registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, RecordingMocks } from "../../plan/mocks";

/** Waits until every registration in flight has reached the mocks. */
export async function settle(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/** Resolves an Output (or plain value) to its value. */
export function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
    return (pulumi.output(o) as unknown as { promise: () => Promise<T> }).promise();
}

/** A built component's resources, queried by type and name. */
export class Built {
    constructor(readonly mocks: RecordingMocks) {}
    get resources(): RecordedResource[] {
        return this.mocks.resources;
    }
    ofType(type: string): RecordedResource[] {
        return this.mocks.ofType(type);
    }
    named(name: string): RecordedResource {
        return this.mocks.named(name);
    }
    has(name: string): boolean {
        return this.mocks.resources.some((r) => r.name === name);
    }
}

/** Runs `build` under mocks for a stack in `awsRegion`; fails on any mock error. */
export async function buildUnderMocks(awsRegion: string, build: () => void): Promise<Built> {
    const mocks = new RecordingMocks({ project: "taskflow", stack: "literal", awsRegion });
    await mocks.install("taskflow");
    build();
    await settle();
    if (mocks.errors.length > 0) throw mocks.errors[0];
    return new Built(mocks);
}

/** Parses a JSON policy input. */
export const json = (v: unknown): Record<string, unknown> =>
    JSON.parse(String(v)) as Record<string, unknown>;
