import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The prod VPC: one private and one public subnet per availability zone. Nodes and pods live
 * in the private subnets (with the VPC CNI every pod takes a VPC address, so those subnets are
 * large); the public subnets only hold load balancers and the NAT gateways, so they are small.
 */

export interface SubnetPlan {
  /** One per AZ, in AZ order; small (load balancers, NAT). */
  public: string[];
  /** One per AZ, in AZ order; large (nodes and pods). */
  private: string[];
}

/** The smallest subnet AWS allows. */
const MIN_SUBNET_PREFIX = 28;
/** AWS VPCs are /16 to /28. */
const VPC_PREFIX_RANGE = [16, 28] as const;
/** A public subnet is 1/16th of a private one, when the VPC is big enough for that. */
const PUBLIC_SHRINK_BITS = 4;
/** ALBs want a /27 or larger (at least 8 free addresses while they scale); smaller only if nothing else fits. */
const PREFERRED_MAX_PUBLIC_PREFIX = 27;

/** Parses `a.b.c.d/p` into its network address (as an unsigned 32-bit number) and prefix. */
export function parseCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`${cidr} is not an IPv4 CIDR block`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`${cidr} is not an IPv4 CIDR block`);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) throw new Error(`${cidr} has host bits set; did you mean ${formatCidr(base - (base % size), prefix)}?`);
  return { base, prefix };
}

export function formatCidr(base: number, prefix: number): string {
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".")}/${prefix}`;
}

/**
 * Splits the VPC into one private and one public subnet per AZ.
 *
 * The VPC is cut into the smallest power of two of equal blocks that leaves one block over:
 * the first `azCount` blocks are the private subnets (a /16 over 3 AZs gives three /18s, 16,384
 * addresses each), and the block left over is cut into the public subnets, each 1/16th of a
 * private one (/22), but no smaller than a /27 unless only a /28 fits. Everything stays inside the VPC,
 * nothing overlaps, and the plan is stable: the same input always gives the same subnets, and
 * the private subnets never move when the public ones change size.
 */
export function subnetPlan(vpcCidr: string, azCount: number): SubnetPlan {
  if (!Number.isInteger(azCount) || azCount < 1) throw new Error(`azCount must be a positive integer (got ${azCount})`);
  const { base, prefix } = parseCidr(vpcCidr);
  if (prefix < VPC_PREFIX_RANGE[0] || prefix > VPC_PREFIX_RANGE[1]) {
    throw new Error(`${vpcCidr}: an AWS VPC is /${VPC_PREFIX_RANGE[0]} to /${VPC_PREFIX_RANGE[1]}`);
  }
  const privatePrefix = prefix + Math.ceil(Math.log2(azCount + 1));
  const publicPrefix = Math.max(privatePrefix + Math.ceil(Math.log2(azCount)), Math.min(privatePrefix + PUBLIC_SHRINK_BITS, PREFERRED_MAX_PUBLIC_PREFIX));
  if (publicPrefix > MIN_SUBNET_PREFIX) {
    throw new Error(`${vpcCidr} is too small for ${azCount} AZs (public subnets would be /${publicPrefix}; AWS's smallest is /${MIN_SUBNET_PREFIX})`);
  }
  const privateSize = 2 ** (32 - privatePrefix);
  const publicSize = 2 ** (32 - publicPrefix);
  const spare = base + azCount * privateSize;
  return {
    private: Array.from({ length: azCount }, (_, i) => formatCidr(base + i * privateSize, privatePrefix)),
    public: Array.from({ length: azCount }, (_, i) => formatCidr(spare + i * publicSize, publicPrefix)),
  };
}

export interface NetworkArgs {
  /** The VPC's IPv4 block (`cluster.vpcCidr`). */
  vpcCidr: string;
  /** How many AZs to spread over (`cluster.availabilityZones`). */
  availabilityZones: number;
  /**
   * Cluster name for the `kubernetes.io/cluster/<name>: shared` subnet tag.
   * @default no cluster tag (the load balancer controller finds subnets by role tag alone)
   */
  clusterName?: string;
  /** Tags on every resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * VPC, internet gateway, public and private subnets across `availabilityZones` AZs, one NAT
 * gateway per AZ, and the route tables. Public subnets never hand out public IPs on launch:
 * only load balancers and NAT gateways (with their Elastic IPs) live there.
 *
 * One NAT gateway per AZ rather than one for the VPC: with a single NAT, losing its AZ cuts
 * every node in the other AZs off from ECR, STS, the EKS API's public endpoint and every
 * upstream, which turns a one-AZ outage into a cluster outage; and cross-AZ NAT traffic is
 * billed per GB. Three NAT gateways cost more per hour; prod pays that for AZ independence.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The subnets' CIDR blocks, as planned. */
  readonly plan: SubnetPlan;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:cluster:Network", name, {}, opts);
    const plan = subnetPlan(args.vpcCidr, args.availabilityZones);
    this.plan = plan;
    const baseTags = { ...args.tags };
    const clusterTag: Record<string, string> = args.clusterName ? { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" } : {};
    const tagged = (suffix: string, extra: Record<string, string> = {}) => ({ ...baseTags, Name: `${name}-${suffix}`, ...extra });

    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      { parent: this },
    );
    const zone = (i: number) =>
      zones.names.apply((names) => {
        if (names.length <= i) throw new Error(`the region has ${names.length} available AZs; cluster.availabilityZones asks for ${args.availabilityZones}`);
        return names[i]!;
      });

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tagged("vpc") },
      { parent: this },
    );
    // The default security group allows all traffic between its members; nothing should use it.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: tagged("default-deny") }, { parent: this });
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged("igw") }, { parent: this });

    const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tagged("public") }, { parent: this });
    new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, { parent: this });

    const publicSubnets: aws.ec2.Subnet[] = [];
    const privateSubnets: aws.ec2.Subnet[] = [];
    plan.public.forEach((cidr, i) => {
      const az = zone(i);
      const pub = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: az,
          mapPublicIpOnLaunch: false,
          tags: tagged(`public-${i}`, { ...clusterTag, "kubernetes.io/role/elb": "1" }),
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, { parent: this });
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tagged(`nat-${i}`) }, { parent: this, dependsOn: [igw] });
      const nat = new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { subnetId: pub.id, allocationId: eip.id, connectivityType: "public", tags: tagged(`nat-${i}`) },
        { parent: this, dependsOn: [igw] },
      );

      const priv = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: plan.private[i]!,
          availabilityZone: az,
          mapPublicIpOnLaunch: false,
          tags: tagged(`private-${i}`, { ...clusterTag, "kubernetes.io/role/internal-elb": "1" }),
        },
        { parent: this },
      );
      const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, { vpcId: vpc.id, tags: tagged(`private-${i}`) }, { parent: this });
      new aws.ec2.Route(`${name}-private-default-${i}`, { routeTableId: privateRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, { parent: this });
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: priv.id, routeTableId: privateRoutes.id }, { parent: this });
      publicSubnets.push(pub);
      privateSubnets.push(priv);
    });

    this.vpcId = vpc.id;
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
  }
}
