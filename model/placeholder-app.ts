/**
 * The placeholder app the cells run until `taskflow:appImage` names the real TaskFlow image:
 * BusyBox's `httpd` serving one file at the health path on the container port, so a first
 * `pulumi up` ends with healthy targets and Route 53 keeps every region in service. Pure.
 *
 * BusyBox `httpd -f -p PORT -h HOME` serves the files under HOME in the foreground; a file that
 * exists is answered 200. https://busybox.net/downloads/BusyBox.html#httpd
 */

/** The placeholder image (Docker Official Image on ECR Public: no Docker Hub rate limit). */
export const PLACEHOLDER_IMAGE = "public.ecr.aws/docker/library/busybox:1.36";

/** Where the placeholder's files live inside the container. */
export const PLACEHOLDER_DOC_ROOT = "/tmp/www";

/** An ECS container health check (the container definition's `healthCheck`). */
export interface ContainerHealthCheck {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
}

/** What the placeholder container runs: its command and its ECS container health check. */
export interface PlaceholderContainer {
    command: string[];
    healthCheck: ContainerHealthCheck;
}

/** A health path the shell command may carry verbatim (no quoting needed, no `..`). */
const SAFE_PATH = /^\/[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$/;

/**
 * The placeholder's command (write the health file, run httpd on the port in the foreground) and
 * an ECS container health check asking the same URL from inside the task (BusyBox `wget`).
 */
export function placeholderContainer(port: number, healthPath: string): PlaceholderContainer {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`placeholder app: container port ${port} is not a port (1-65535)`);
    if (!SAFE_PATH.test(healthPath))
        throw new Error(
            `placeholder app: health path ${JSON.stringify(healthPath)} is not allowed; ` +
                "an absolute path of letters, digits, '_', '-', '.' and '/' is required",
        );
    const file = `${PLACEHOLDER_DOC_ROOT}${healthPath}`;
    const dir = file.slice(0, file.lastIndexOf("/"));
    const script = [
        `mkdir -p ${dir}`,
        `echo ok > ${file}`,
        `exec httpd -f -p ${port} -h ${PLACEHOLDER_DOC_ROOT}`,
    ].join(" && ");
    return {
        command: ["sh", "-c", script],
        healthCheck: {
            // CMD-SHELL runs in the container's shell; exit 0 is healthy.
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
            command: [
                "CMD-SHELL",
                `wget -q -O /dev/null http://127.0.0.1:${port}${healthPath} || exit 1`,
            ],
            interval: 10,
            timeout: 5,
            retries: 3,
            startPeriod: 10,
        },
    };
}

/** True when the image is the placeholder (then the cell runs the placeholder's command). */
export const isPlaceholderImage = (image: string): boolean => image === PLACEHOLDER_IMAGE;
