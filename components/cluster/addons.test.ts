import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { EBS_CSI_ADDON_VERSION, EBS_CSI_SERVICE_ACCOUNT, EbsCsiDriver, ebsCsiConfiguration, ebsCsiKmsPolicy, gp3StorageClass } from "./addons";
import { irsaTrustPolicy, leastPrivilegeProblems } from "./irsa";
import { MOCK_ACCOUNT, MOCK_OIDC_ISSUER, installMocks, resolved, settle } from "../../test/mocks";
import { POOL_LABEL } from "./node-pools";

const captured = installMocks(pulumi, "prod");
const KEY = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/platform`;
const PROVIDER_ARN = `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`;

describe("gp3StorageClass", () => {
  test("validates against the Kubernetes schema", () => {
    expect(() => new StorageClass(gp3StorageClass()).validate()).not.toThrow();
    expect(() => new StorageClass(gp3StorageClass({ kmsKeyId: KEY })).validate()).not.toThrow();
  });

  test("the default class: encrypted gp3 through the EBS CSI driver, bound where the pod lands, expandable, retained", () => {
    const sc = gp3StorageClass({ kmsKeyId: KEY });
    expect(sc.metadata.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "true" });
    expect(sc).toMatchObject({
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
    });
  });

  test("the key is optional (the account's EBS default key then)", () => {
    expect(gp3StorageClass().parameters).not.toHaveProperty("kmsKeyId");
    expect(gp3StorageClass().parameters.encrypted).toBe("true");
  });

  test("carries the recommended labels", () => {
    expect(gp3StorageClass().metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "gp3",
      "app.kubernetes.io/instance": "gp3",
      "app.kubernetes.io/version": EBS_CSI_ADDON_VERSION,
      "app.kubernetes.io/component": "storage",
      "app.kubernetes.io/part-of": "abode",
      "app.kubernetes.io/managed-by": "pulumi",
    });
  });
});

describe("EBS CSI policy and configuration", () => {
  test("KMS use of the key only, actions listed, grants only for AWS resources", () => {
    const policy = ebsCsiKmsPolicy(KEY);
    expect(leastPrivilegeProblems(policy)).toEqual([]);
    expect(policy.Statement.every((s) => s.Resource === KEY)).toBe(true);
    expect(policy.Statement[1]).toMatchObject({ Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } });
  });

  test("controller on the system pool, node plugin on every node (tainted GPU and CFD pools too)", () => {
    expect(ebsCsiConfiguration()).toEqual({ controller: { nodeSelector: { [POOL_LABEL]: "system" } }, node: { tolerateAllTaints: true } });
  });

  test("the pinned version looks like an EKS add-on build", () => {
    expect(EBS_CSI_ADDON_VERSION).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  });
});

describe("EbsCsiDriver under mocks", () => {
  const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
  const driver = new EbsCsiDriver("ebs-csi", {
    clusterName: "abode-prod",
    oidcProviderArn: PROVIDER_ARN,
    oidcProviderUrl: `https://${MOCK_OIDC_ISSUER}`,
    kmsKeyArn: pulumi.output(KEY),
    kubernetesProvider: provider,
  });

  beforeAll(async () => {
    await resolved(pulumi.all([driver.roleArn, driver.addonName]));
    await settle();
  });

  test("the add-on, pinned, with its IRSA role and configuration", () => {
    const addon = captured.find((r) => r.type === "aws:eks/addon:Addon" && r.name === "ebs-csi-addon")!;
    expect(addon.inputs).toMatchObject({
      clusterName: "abode-prod",
      addonName: "aws-ebs-csi-driver",
      addonVersion: EBS_CSI_ADDON_VERSION,
      serviceAccountRoleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/ebs-csi-role`,
    });
    expect(JSON.parse(addon.inputs.configurationValues)).toEqual(ebsCsiConfiguration());
  });

  test("the role trusts only the controller's ServiceAccount and has the managed EBS CSI policy plus KMS use of the key", () => {
    const role = captured.find((r) => r.type === "aws:iam/role:Role" && r.name === "ebs-csi-role")!;
    expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual(
      irsaTrustPolicy({ oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: MOCK_OIDC_ISSUER, namespace: EBS_CSI_SERVICE_ACCOUNT.namespace, serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name }),
    );
    const managed = captured.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.name.startsWith("ebs-csi-role-"));
    expect(managed.map((m) => m.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
    const inline = captured.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "ebs-csi-role-policy")!;
    expect(JSON.parse(inline.inputs.policy)).toEqual(ebsCsiKmsPolicy(KEY));
  });

  test("given a provider, the default gp3 StorageClass is created with the platform key", () => {
    const sc = captured.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")!;
    expect(sc.inputs).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { kmsKeyId: KEY, type: "gp3", encrypted: "true" }, reclaimPolicy: "Retain" });
    expect(sc.inputs.metadata.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "true" });
    expect(sc.parent).toMatch(/abode:cluster:EbsCsiDriver::ebs-csi$/);
  });
});
