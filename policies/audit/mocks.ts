/**
 * `pulumi.runtime.setMocks` answering what real providers would compute (ARNs, the OIDC issuer,
 * the kubeconfig, AZ names, the caller's account, an ECR token, generated passwords,
 * certificates), capturing every registered resource with its inputs, parent, resource options
 * and dependencies. Used by the offline audit (./evaluate.ts) and by the tests (test/mocks.ts).
 * No jest here.
 */
import type * as pulumiType from "@pulumi/pulumi";

export interface Captured {
  type: string;
  name: string;
  inputs: Record<string, any>;
  custom: boolean;
  /** The parent's URN ("" for none). */
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  /** URNs of the resources it was declared to depend on (`dependsOn`, explicit or through inputs). */
  dependencies: string[];
  /** Its URN. */
  urn: string;
  /** The id the mock gave it. */
  id: string;
}

export interface Evaluation {
  resources: Captured[];
  /** The stack's outputs, resolved (secrets unwrapped). */
  outputs: Record<string, any>;
  /** The error the program threw, if it did. */
  error?: Error;
}

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "eu-west-1";
export const MOCK_OIDC_ISSUER = `oidc.eks.${MOCK_REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;


/** Outputs a real provider would compute, by resource type. */
function clusterMockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const arnOf = (service: string, resource: string) => `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${resource}`;
  switch (type) {
    case "eks:index:Cluster": {
      const clusterName = inputs.name ?? name;
      return {
        kubeconfigJson: JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: clusterName }] }),
        kubeconfig: { apiVersion: "v1", kind: "Config", clusters: [{ name: clusterName }] },
        oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`,
        oidcProviderUrl: `https://${MOCK_OIDC_ISSUER}`,
        oidcIssuer: MOCK_OIDC_ISSUER,
        nodeSecurityGroupId: "sg-0eksclustersg",
        clusterSecurityGroupId: "sg-0eksclustersg",
      };
    }
    case "aws:kms/key:Key":
      return { arn: arnOf("kms", `key/${name}`), keyId: `${name}-key-id` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${inputs.name ?? name}`, name: inputs.name ?? name };
    case "aws:ecr/repository:Repository":
      return { arn: arnOf("ecr", `repository/${inputs.name}`), repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com/${inputs.name}` };
    case "aws:s3/bucket:Bucket": {
      const bucket = inputs.bucket ?? `${name}-bucket`;
      return { bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "kubernetes:networking.k8s.io/v1:Ingress":
      // The AWS Load Balancer Controller writes the ALB's hostname here (the edge's DNS target).
      return { status: { loadBalancer: { ingress: [{ hostname: `k8s-abodeprod-0123456789-1234567890.${MOCK_REGION}.elb.amazonaws.com` }] } } };
    case "docker:index/image:Image":
      return { repoDigest: `${String(inputs.imageName).replace(/:[^:/]+$/, "")}@sha256:${"0".repeat(64)}` };
    default:
      return {};
  }
}

/** Results of the data sources the cluster components read. */
export function mockCall(token: string, inputs: Record<string, any>): Record<string, any> {
  switch (token) {
    case "cloudflare:index/getIpRanges:getIpRanges":
      // Two of Cloudflare's published ranges stand for the list.
      return { etag: "mock", ipv4Cidrs: ["173.245.48.0/20", "103.21.244.0/22"], ipv6Cidrs: ["2400:cb00::/32"], jdcloudCidrs: [] };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["a", "b", "c", "d", "e", "f"].map((z) => `${MOCK_REGION}${z}`), zoneIds: [1, 2, 3, 4, 5, 6].map((z) => `euw1-az${z}`) };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/ci`, userId: "AIDEXAMPLE", id: MOCK_ACCOUNT };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
      return { userName: "AWS", password: "mock-ecr-password", proxyEndpoint: `https://${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com`, authorizationToken: "bW9jaw==" };
    default:
      return inputs;
  }
}

/** Resolves an output (test helper). */
export function resolved<T>(output: pulumiType.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Lets pending registrations settle. */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 50));
}

/** The wire form of a secret value: Pulumi's secret signature next to `value`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export function unsecret(input: unknown): unknown {
  if (typeof input === "object" && input !== null && SECRET_SIG in input) return (input as unknown as { value: unknown }).value;
  return input;
}
export function isSecret(input: unknown): boolean {
  return typeof input === "object" && input !== null && SECRET_SIG in input;
}

/** Outputs a real provider would compute, so dependent inputs resolve under mocks. */
export function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: `generated-${name}` };
    case "docker:index/remoteImage:RemoteImage":
      return { imageId: `sha256:${name}`, repoDigest: `${inputs.name}@sha256:0` };
    case "tls:index/privateKey:PrivateKey":
      return { privateKeyPem: `KEY(${name})`, publicKeyPem: `PUBLIC(${name})` };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: `CERT(${name})` };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: `CSR(${name})` };
    default:
      return clusterMockState(type, name, inputs);
  }
}

/** The URN Pulumi gives a resource: the parent's type chain, then its own type and name. */
export function urnOf(stack: string, type: string, name: string, parentUrn = "", project = "abode"): string {
  const parentTypes = parentUrn ? parentUrn.split("::")[2] : undefined;
  const qualified = parentTypes && !parentTypes.startsWith("pulumi:pulumi:Stack") ? `${parentTypes}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Installs the mocks on the given SDK and returns the live list of captured resources. */
export function installMocks(pulumi: typeof pulumiType, stack = "test"): Captured[] {
  const captured: Captured[] = [];
  const registrations = new Map<string, Omit<Captured, "type" | "name" | "inputs" | "custom" | "urn" | "id">>();
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const registration = registrations.get(`${args.type}::${args.name}`) ?? {
          parent: "",
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          ignoreChanges: [],
          dependencies: [],
        };
        const id = `${args.name}-id`;
        captured.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? false, ...registration, urn: urnOf(stack, args.type, args.name, registration.parent), id });
        return { id, state: { ...args.inputs, ...mockState(args.type, args.name, args.inputs) } };
      },
      call: (args) => mockCall(args.token, args.inputs),
    },
    "abode",
    stack,
    false,
  );
  // The mock hook sees neither the parent, the options nor the dependencies; read them off the register request.
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    registrations.set(`${req.getType()}::${req.getName()}`, {
      parent: req.getParent(),
      protect: req.getProtect() === true,
      retainOnDelete: req.getRetainondelete() === true,
      deleteBeforeReplace: req.getDeletebeforereplace() === true,
      ignoreChanges: req.getIgnorechangesList(),
      dependencies: req.getDependenciesList(),
    });
    return register(req, callback);
  };
  return captured;
}

