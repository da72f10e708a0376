/**
 * Starts `moto_server` (the AWS API emulator) on 127.0.0.1 on a free port for one spec file and
 * stops it by PID. Nothing here ever talks to any other address: every client the specs build
 * takes this endpoint and fake credentials. The server is moto's own, started through
 * moto-server.py, which reads once a directory listing moto 5.2.1 reads on every request (the
 * file says how much that costs); it runs the `moto_server` command instead where python3
 * has no moto 5.2.1 server to import.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as net from "net";

const LAUNCHER = path.join(__dirname, "moto-server.py");

export interface Moto {
    endpoint: string;
    port: number;
    pid: number;
    /** Clears every service's state (POST /moto-api/reset). */
    reset(): Promise<void>;
    stop(): Promise<void>;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
    });
}

async function waitUp(endpoint: string, child: ChildProcess, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    let lastError = "";
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
        try {
            const res = await fetch(`${endpoint}/moto-api/data.json`);
            if (res.ok) return;
            lastError = `HTTP ${res.status}`;
        } catch (e) {
            lastError = (e as Error).message;
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`moto_server did not answer on ${endpoint} within ${ms} ms (${lastError})`);
}

/** Starts moto_server; fails with a clear message when it is not installed. */
export async function startMoto(env: Record<string, string> = {}): Promise<Moto> {
    // Looked up on PATH rather than run (`moto_server --help` imports all of moto: ~0.6 s).
    const onPath = (command: string) =>
        (process.env.PATH ?? "")
            .split(path.delimiter)
            .some((d) => d !== "" && fs.existsSync(path.join(d, command)));
    if (!onPath("moto_server")) {
        throw new Error(
            "moto_server is not on PATH: the ops specs need the AWS API emulator (pip install 'moto[server]==5.2.1', the version CI pins; README, \"Requirements\")",
        );
    }
    const [command, launch]: [string, string[]] = onPath("python3")
        ? ["python3", [LAUNCHER]]
        : ["moto_server", []];
    for (let attempt = 0; ; attempt++) {
        const port = await freePort();
        const endpoint = `http://127.0.0.1:${port}`;
        const child = spawn(command, [...launch, "-H", "127.0.0.1", "-p", String(port)], {
            stdio: ["ignore", "ignore", "pipe"],
            env: { ...process.env, ...env },
        });
        let stderr = "";
        child.stderr?.on("data", (d) => (stderr = (stderr + String(d)).slice(-2000)));
        try {
            await waitUp(endpoint, child, 15_000);
        } catch (e) {
            child.kill("SIGKILL");
            if (attempt < 2) continue; // the port was taken between probe and bind
            throw new Error(`${(e as Error).message}\n${stderr}`);
        }
        const pid = child.pid!;
        return {
            endpoint,
            port,
            pid,
            async reset() {
                const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
                if (!res.ok) throw new Error(`moto reset: HTTP ${res.status}`);
            },
            stop: () =>
                new Promise<void>((resolve) => {
                    if (child.exitCode !== null) return resolve();
                    child.once("exit", () => resolve());
                    process.kill(pid, "SIGTERM");
                    setTimeout(() => {
                        if (child.exitCode === null) process.kill(pid, "SIGKILL");
                    }, 3000).unref();
                }),
        };
    }
}
