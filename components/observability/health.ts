/**
 * Where the derived images (`images/<name>/Dockerfile`) put a static busybox. The upstream
 * collector and Jaeger images are distroless, without a shell or any HTTP client, yet Docker
 * health checks run a command inside the container. One static binary, used only by the probe,
 * is the smallest honest fix: no shell is added to PATH and the entrypoint is unchanged.
 */
export const PROBE_BUSYBOX = "/usr/local/bin/busybox";

/**
 * A Docker health-check command that succeeds only on a 2xx answer from `url` (busybox `wget`
 * exits non-zero on 4xx/5xx and on timeouts). `wget` is the binary or argv prefix to use:
 * `["wget"]` on images that ship busybox, `[PROBE_BUSYBOX, "wget"]` on the derived images.
 */
export function wgetHealthCommand(url: string, wget: string[] = ["wget"]): string[] {
  return ["CMD", ...wget, "-q", "-T", "3", "-O", "/dev/null", url];
}
