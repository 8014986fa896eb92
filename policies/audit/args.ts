/** Command-line parsing for the audit: pure, so usage errors are tested without a process. */
import { isStackName, type StackName } from "../core/packs";

export interface AuditArgs {
  stack?: StackName;
  paths: string[];
  level: StackName;
  json?: string;
  sarif?: string;
  frameworks: string[];
  packs: string[];
  policies: string[];
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run audit -- (--stack dev|prod | PATH...) [options]

  --stack dev|prod     evaluate the stack's program (stacks/index.ts) under mocks from Pulumi.<stack>.yaml
                       and run every pack over what it declares, at that stack's enforcement levels
  PATH...              run the Kubernetes policies over YAML manifests (files or folders, recursively)
  --level dev|prod     enforcement levels for PATH mode (default prod)
  --json FILE          also write the findings as JSON
  --sarif FILE         also write SARIF 2.1.0
  --framework PREFIX   only policies with a framework id starting with PREFIX (repeatable), e.g. pss:baseline
  --pack NAME          only policies of this pack (repeatable)
  --policy NAME        only this policy (repeatable)

exit status: 0 no mandatory violation, 1 a mandatory policy is violated, 2 usage error`;

export function parseArgs(argv: string[]): AuditArgs {
  const args: AuditArgs = { paths: [], level: "prod", frameworks: [], packs: [], policies: [], help: false };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case "--stack":
      case "--level": {
        const v = value(i++, arg);
        if (!isStackName(v)) throw new UsageError(`${arg} must be dev or prod, not ${v}`);
        if (arg === "--stack") args.stack = v;
        else args.level = v;
        break;
      }
      case "--json":
        args.json = value(i++, arg);
        break;
      case "--sarif":
        args.sarif = value(i++, arg);
        break;
      case "--framework":
        args.frameworks.push(value(i++, arg));
        break;
      case "--pack":
        args.packs.push(value(i++, arg));
        break;
      case "--policy":
        args.policies.push(value(i++, arg));
        break;
      case "-h":
      case "--help":
        args.help = true;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
        args.paths.push(arg);
    }
  }
  if (args.help) return args;
  if (args.stack && args.paths.length > 0) throw new UsageError("give either --stack or manifest paths, not both");
  if (!args.stack && args.paths.length === 0) throw new UsageError("give --stack dev|prod or at least one manifest path");
  return args;
}
