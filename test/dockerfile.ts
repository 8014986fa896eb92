/** A reader for the simple Dockerfile syntax our services use, per stage, for tests that compare images with specs. */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface DockerStage {
  /** `FROM` as written (`${NODE_IMAGE}`, `build`, ...). */
  from: string;
  as?: string;
  /** ENV set in this stage. */
  env: Record<string, string>;
  /** ARGs declared in this stage (build arguments it reads). */
  argNames: string[];
  user?: string;
  cmd?: string[];
  healthcheck?: string;
  /** As written: numbers, or `${PORT}` for a build argument. */
  expose: string[];
  runs: string[];
}

export interface Dockerfile {
  /** Global `ARG name=default`s. */
  args: Record<string, string>;
  stages: DockerStage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const file: Dockerfile = { args: {}, stages: [] };
  for (const line of instructions) {
    const [keyword, ...rest] = line.split(/\s+/);
    const body = rest.join(" ");
    const stage = file.stages[file.stages.length - 1];
    switch (keyword!.toUpperCase()) {
      case "ARG": {
        const [k, v] = body.split("=");
        if (!stage) file.args[k!] = v ?? "";
        else stage.argNames.push(k!);
        break;
      }
      case "FROM": {
        const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(body)!;
        file.stages.push({ from: match[1]!, ...(match[2] ? { as: match[2] } : {}), env: {}, argNames: [], expose: [], runs: [] });
        break;
      }
      case "ENV":
        for (const pair of body.match(/\S+=\S+/g) ?? []) {
          const i = pair.indexOf("=");
          stage!.env[pair.slice(0, i)] = pair.slice(i + 1);
        }
        break;
      case "USER":
        stage!.user = body;
        break;
      case "CMD":
        stage!.cmd = JSON.parse(body);
        break;
      case "HEALTHCHECK":
        stage!.healthcheck = body;
        break;
      case "EXPOSE":
        stage!.expose = body.split(/\s+/);
        break;
      case "RUN":
        stage!.runs.push(body);
        break;
    }
  }
  return file;
}

/** The stage an image is built from: the named `target`, else the last one. */
export function targetStage(file: Dockerfile, target?: string): DockerStage | undefined {
  return target === undefined ? file.stages[file.stages.length - 1] : file.stages.find((s) => s.as === target);
}

/** `package=version` pins of the `apt-get install` lines of a stage. */
export function aptPins(stage: DockerStage): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const run of stage.runs.filter((r) => /apt-get install/.test(r))) {
    for (const pin of run.match(/\b[a-z0-9][a-z0-9.+-]*=[0-9][^\s]*/g) ?? []) {
      const [name, version] = pin.split("=");
      pins[name!] = version!;
    }
  }
  return pins;
}

export const REPO_ROOT = path.resolve(__dirname, "..");

export function readDockerfile(relativePath: string): Dockerfile {
  return parseDockerfile(readFileSync(path.join(REPO_ROOT, relativePath), "utf8"));
}
