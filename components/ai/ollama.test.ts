import { execFileSync } from "node:child_process";
import { ollamaPullJob, ollamaWorkload } from "./ollama";
import { specProblems } from "../workload/validate";

describe("ollama", () => {
  it("serves from a model cache volume, as a non-root user, with a GPU only when asked", () => {
    const cpu = ollamaWorkload({ models: ["llama3.2:3b"] });
    expect(cpu.volumes).toEqual([{ name: "models", mountPath: "/models", sizeGiB: 100 }]);
    expect(cpu.env.OLLAMA_MODELS).toBe("/models");
    expect(cpu.gpu).toBeUndefined();
    expect(ollamaWorkload({ models: [], gpu: true }).gpu).toEqual({ count: 1 });
    expect(specProblems(cpu)).toEqual([]);
  });

  it("pulls every model through the server's API, quoting names for the shell", () => {
    const job = ollamaPullJob({ models: ["llama3.2:3b", "evil'; touch /tmp/pwned; '"] });
    expect(job).toMatchObject({ kind: "job", dependsOn: ["ollama"], env: { OLLAMA_HOST: "http://ollama:11434" } });
    const [shell, flag, script] = job.command!;
    expect([shell, flag]).toEqual(["/bin/sh", "-c"]);
    // Run the script with `ollama` replaced by echo: the names arrive as single arguments.
    const out = execFileSync("/bin/sh", ["-c", `ollama() { printf '%s\\n' "$2"; }; ${script}`]).toString();
    expect(out.split("\n").filter(Boolean)).toEqual(["llama3.2:3b", "evil'; touch /tmp/pwned; '"]);
    expect(specProblems(job)).toEqual([]);
  });
});
