/** The facts of services/cfd/Dockerfile the tests compare with the specs and the Job (a reader for its simple syntax). */
import { readFileSync } from "node:fs";
import path from "node:path";

export const DOCKERFILE = path.resolve(__dirname, "../Dockerfile");

export interface DockerfileFacts {
  args: Record<string, string>;
  /** `FROM` lines as written, with their stage names. */
  stages: { from: string; as?: string }[];
  /** ENV of the last (runtime) stage. */
  env: Record<string, string>;
  user?: string;
  cmd?: string[];
  healthcheck?: string;
  expose: number[];
  /** `package=version` pins of apt-get install. */
  aptPins: Record<string, string>;
  runs: string[];
}

export function dockerfileFacts(text = readFileSync(DOCKERFILE, "utf8")): DockerfileFacts {
  const instructions = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const facts: DockerfileFacts = { args: {}, stages: [], env: {}, expose: [], aptPins: {}, runs: [] };
  for (const line of instructions) {
    const [keyword, ...rest] = line.split(/\s+/);
    const body = rest.join(" ");
    switch (keyword!.toUpperCase()) {
      case "ARG": {
        const [k, v] = body.split("=");
        facts.args[k!] = v ?? "";
        break;
      }
      case "FROM": {
        const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(body)!;
        facts.stages.push({ from: match[1]!, as: match[2] });
        facts.env = {};
        break;
      }
      case "ENV":
        for (const pair of body.match(/\S+=\S+/g) ?? []) {
          const i = pair.indexOf("=");
          facts.env[pair.slice(0, i)] = pair.slice(i + 1);
        }
        break;
      case "USER":
        facts.user = body;
        break;
      case "CMD":
        facts.cmd = JSON.parse(body);
        break;
      case "HEALTHCHECK":
        facts.healthcheck = body;
        break;
      case "EXPOSE":
        facts.expose = body.split(/\s+/).map(Number);
        break;
      case "RUN":
        facts.runs.push(body);
        for (const pin of body.match(/\b[a-z0-9][a-z0-9.+-]*=[0-9][^\s]*/g) ?? []) {
          const [name, version] = pin.split("=");
          if (/apt-get install/.test(body)) facts.aptPins[name!] = version!;
        }
        break;
    }
  }
  return facts;
}
