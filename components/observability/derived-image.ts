import type { ImageSource } from "../workload/spec";

/** Bumped whenever a Dockerfile under `images/` changes, so the built tag changes with it. */
export const DERIVED_IMAGE_REVISION = 1;

/**
 * The image built from `components/observability/images/<name>/Dockerfile`: the pinned upstream
 * image plus a static busybox for the health probe. Paths are relative to the repository root,
 * like every other build in the repo; the context is the image's own folder, which holds only
 * the Dockerfile, so nothing else is sent to the builder.
 */
export function derivedImage(name: string, upstreamTag: string): Extract<ImageSource, { kind: "build" }> {
  const context = `components/observability/images/${name}`;
  return {
    kind: "build",
    context,
    dockerfile: `${context}/Dockerfile`,
    repository: `abode/${name}`,
    tag: `${upstreamTag}-abode.${DERIVED_IMAGE_REVISION}`,
  };
}
