/**
 * The cluster components wired as the prod stack would wire them (network → cluster → add-ons,
 * registry, snapshots), under the same mocks the whole-stack harness needs
 * (`clusterMockState` / `mockCall`).
 */
import * as pulumi from "@pulumi/pulumi";
import { stackConfigSchema } from "../../stacks/config/schema";
import { EbsCsiDriver } from "./addons";
import { Cluster } from "./cluster";
import { MOCK_ACCOUNT, MOCK_OIDC_ISSUER, installMocks, resolved, settle } from "../../test/mocks";
import { Network } from "./network";
import { ServiceRegistry, pushedImage } from "./registry";
import { SnapshotBucket } from "./snapshots";

const captured = installMocks(pulumi, "prod");

describe("the AWS side of prod, composed", () => {
  const config = stackConfigSchema.parse({
    target: "kubernetes",
    cluster: { ingressCertificateArn: `arn:aws:acm:eu-west-1:${MOCK_ACCOUNT}:certificate/0a1b2c3d-0000-1111-2222-333344445555` },
  }).cluster!;
  const network = new Network("abode", { vpcCidr: config.vpcCidr, availabilityZones: config.availabilityZones, clusterName: "abode-prod" });
  const cluster = new Cluster("abode", { config, network, clusterName: "abode-prod" });
  const ebs = new EbsCsiDriver("ebs-csi", { clusterName: cluster.clusterName, oidcProviderArn: cluster.oidcProviderArn, oidcProviderUrl: cluster.oidcProviderUrl, kmsKeyArn: cluster.kmsKeyArn });
  const snapshots = new SnapshotBucket("es-snapshots", {
    kmsKeyArn: cluster.kmsKeyArn,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcProviderUrl: cluster.oidcProviderUrl,
    serviceAccount: "elasticsearch",
    noncurrentVersionDays: config.snapshotRetentionDays,
  });
  const registry = new ServiceRegistry("ecr", { services: ["ai-lighting"], kmsKeyArn: cluster.kmsKeyArn });
  const image = pushedImage(
    "ai-lighting",
    { repository: registry.repositoryFor("ai-lighting"), context: ".", dockerfile: "services/ai-lighting/Dockerfile", tag: "0.1.0" },
    { parent: registry },
  );

  beforeAll(async () => {
    await resolved(pulumi.all([cluster.kubeconfig, ebs.roleArn, snapshots.roleArn, image]));
    await settle();
  });

  test("three AZs: six subnets, three NAT gateways, four node groups", () => {
    const count = (type: string) => captured.filter((r) => r.type === type).length;
    expect(count("aws:ec2/subnet:Subnet")).toBe(6);
    expect(count("aws:ec2/natGateway:NatGateway")).toBe(3);
    expect(count("eks:index:ManagedNodeGroup")).toBe(4);
  });

  test("the cluster runs in the network's private subnets", () => {
    const eks = captured.find((r) => r.type === "eks:index:Cluster")!;
    expect(eks.inputs.vpcId).toBe("abode-vpc-id");
    expect(eks.inputs.privateSubnetIds).toEqual([0, 1, 2].map((i) => `abode-private-${i}-id`));
  });

  test("every stateful resource is protected and retained", () => {
    const stateful = captured.filter((r) =>
      ["aws:kms/key:Key", "eks:index:Cluster", "aws:ecr/repository:Repository", "aws:s3/bucket:Bucket", "aws:s3/bucketVersioning:BucketVersioning"].includes(r.type),
    );
    expect(stateful).toHaveLength(5);
    for (const r of stateful) expect([r.type, r.protect, r.retainOnDelete]).toEqual([r.type, true, true]);
  });

  test("every IRSA role trusts the cluster's OIDC provider, for one ServiceAccount", () => {
    const roles = captured.filter((r) => r.type === "aws:iam/role:Role" && r.inputs.assumeRolePolicy.includes("AssumeRoleWithWebIdentity"));
    expect(roles.map((r) => r.name).sort()).toEqual(["ebs-csi-role", "es-snapshots-role"]);
    for (const role of roles) {
      const [statement] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
      expect(statement.Principal.Federated).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`);
      expect(statement.Condition.StringEquals[`${MOCK_OIDC_ISSUER}:sub`]).toMatch(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/);
    }
  });

  test("one key encrypts secrets, node volumes, images and snapshots", () => {
    const keyArn = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/abode-key`;
    expect(captured.find((r) => r.type === "eks:index:Cluster")!.inputs.encryptionConfigKeyArn).toBe(keyArn);
    expect(captured.find((r) => r.type === "aws:ecr/repository:Repository")!.inputs.encryptionConfigurations[0].kmsKey).toBe(keyArn);
    const sse = captured.find((r) => r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")!;
    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(keyArn);
    for (const lt of captured.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")) expect(lt.inputs.blockDeviceMappings[0].ebs.kmsKeyId).toBe(keyArn);
  });
});
