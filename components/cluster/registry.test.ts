import * as pulumi from "@pulumi/pulumi";
import { MOCK_ACCOUNT, MOCK_REGION, installMocks, isSecret, resolved, settle, unsecret } from "../../test/mocks";
import { ServiceRegistry, lifecyclePolicy, pushedImage } from "./registry";

const captured = installMocks(pulumi, "prod");
const KEY = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/platform`;
const REGISTRY = `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com`;

describe("lifecyclePolicy", () => {
  test("drops untagged images after a day, then keeps the newest N (the catch-all rule last, as ECR requires)", () => {
    const policy = lifecyclePolicy(25);
    expect(policy.rules.map((r) => r.rulePriority)).toEqual([1, 2]);
    expect(policy.rules[0]!.selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 });
    expect(policy.rules[1]!.selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 25 });
    expect(policy.rules.every((r) => r.action.type === "expire")).toBe(true);
  });

  test.each([0, -1, 2.5])("refuses keep=%s", (keep) => expect(() => lifecyclePolicy(keep)).toThrow(/positive integer/));
});

describe("ServiceRegistry under mocks", () => {
  const registry = new ServiceRegistry("ecr", { services: ["ai-lighting", "ifc"], kmsKeyArn: KEY, keepImages: 20, tags: { env: "prod" } });
  const image = pushedImage(
    "ai-lighting-image",
    { repository: registry.repositoryFor("ai-lighting"), context: ".", dockerfile: "services/ai-lighting/Dockerfile", tag: "0.1.0" },
    { parent: registry },
  );

  beforeAll(async () => {
    await resolved(pulumi.all([registry.repositoryUrls, image]));
    await settle();
  });

  const repos = () => captured.filter((r) => r.type === "aws:ecr/repository:Repository" && r.name.startsWith("ecr-"));

  test("one repository per service: scan on push, immutable tags, KMS with the platform key, never force-deleted", () => {
    expect(repos().map((r) => r.inputs.name)).toEqual(["abode/ai-lighting", "abode/ifc"]);
    for (const repo of repos()) {
      expect(repo.inputs).toMatchObject({
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }],
        forceDelete: false,
        tags: { env: "prod" },
      });
    }
  });

  test("repositories are protected and retained", () => {
    for (const repo of repos()) {
      expect(repo.protect).toBe(true);
      expect(repo.retainOnDelete).toBe(true);
    }
  });

  test("each repository has the lifecycle policy keeping the last N images", () => {
    const policies = captured.filter((r) => r.type === "aws:ecr/lifecyclePolicy:LifecyclePolicy");
    expect(policies.map((p) => p.inputs.repository)).toEqual(["abode/ai-lighting", "abode/ifc"]);
    for (const p of policies) expect(JSON.parse(p.inputs.policy)).toEqual(lifecyclePolicy(20));
  });

  test("outputs each service's repository URL", async () => {
    expect(await resolved(registry.repositoryUrls)).toEqual({ "ai-lighting": `${REGISTRY}/abode/ai-lighting`, ifc: `${REGISTRY}/abode/ifc` });
    expect(() => registry.repositoryFor("nope")).toThrow(/no ECR repository for service nope/);
  });

  test("pushedImage builds for linux/amd64 from the repo root and pushes with ECR credentials (password secret)", () => {
    const built = captured.find((r) => r.type === "docker:index/image:Image" && r.name === "ai-lighting-image")!;
    expect(built.inputs).toMatchObject({
      imageName: `${REGISTRY}/abode/ai-lighting:0.1.0`,
      build: { context: ".", dockerfile: "services/ai-lighting/Dockerfile", platform: "linux/amd64" },
    });
    // The password makes the whole registry block a secret on the wire.
    expect(isSecret(built.inputs.registry)).toBe(true);
    expect(unsecret(built.inputs.registry)).toEqual({ server: `https://${REGISTRY}`, username: "AWS", password: "mock-ecr-password" });
    expect(built.inputs.skipPush).toBe(false);
    expect(built.parent).toMatch(/abode:cluster:ServiceRegistry::ecr$/);
  });

  test("pushedImage returns the digest reference to deploy", async () => {
    expect(await resolved(image)).toBe(`${REGISTRY}/abode/ai-lighting@sha256:${"0".repeat(64)}`);
  });

  test.each([
    [["ifc", "ifc"], /listed twice: ifc/],
    [["Bad_Name"], /"Bad_Name" is not a valid repository name segment/],
  ])("refuses services %j", (services, message) => {
    expect(() => new ServiceRegistry(`bad-${services.length}`, { services, kmsKeyArn: KEY })).toThrow(message);
  });
});
