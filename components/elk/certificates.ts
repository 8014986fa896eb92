import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

export interface CertificatesArgs {
  /** DNS names clients reach Elasticsearch by. @default ["elasticsearch", "localhost"] */
  dnsNames?: string[];
  /** IP addresses clients reach Elasticsearch by (the health check uses loopback). @default ["127.0.0.1"] */
  ipAddresses?: string[];
  /** Lifetime of the CA. @default 43800 (5 years) */
  caValidityHours?: number;
  /** Lifetime of the node certificate. @default 8760 (1 year) */
  nodeValidityHours?: number;
  /** A `pulumi up` this close to a certificate's expiry re-issues it. @default 720 (30 days) */
  earlyRenewalHours?: number;
  /** Subject organization of both certificates. @default "Abode" */
  organization?: string;
}

/** ECDSA P-256: as strong as RSA 3072, small and fast, and accepted by Java, Node, Go and curl. */
export const KEY_ALGORITHM = { algorithm: "ECDSA", ecdsaCurve: "P256" } as const;

/** A CA only signs; it never serves. */
export const CA_USES = ["cert_signing", "crl_signing", "digital_signature"];

/**
 * The node serves HTTPS (server_auth) and, on the transport layer, both accepts and opens
 * mutually authenticated connections (client_auth). No key_encipherment: an ECDSA key signs
 * the handshake, it never encrypts a key.
 */
export const NODE_USES = ["digital_signature", "server_auth", "client_auth"];

/** The SANs of the node certificate, defaults applied, without duplicates. Pure. */
export function nodeSubjectAltNames(args: Pick<CertificatesArgs, "dnsNames" | "ipAddresses">): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = [...new Set(args.dnsNames ?? ["elasticsearch", "localhost"])];
  const ipAddresses = [...new Set(args.ipAddresses ?? ["127.0.0.1"])];
  if (dnsNames.length === 0) throw new Error("the Elasticsearch node certificate needs at least one DNS name");
  return { dnsNames, ipAddresses };
}

/**
 * A private CA and the Elasticsearch node certificate it signs, as PEM. Elasticsearch uses
 * the pair on HTTP and transport; Kibana, Logstash and the setup job trust the CA. The keys
 * live only in the stack's state, as secrets.
 */
export class Certificates extends pulumi.ComponentResource {
  /** The CA certificate every client trusts. Not secret. */
  readonly caCertPem: pulumi.Output<string>;
  /** The node certificate (leaf only; clients get the CA separately). */
  readonly certPem: pulumi.Output<string>;
  /** The node's private key. Secret. */
  readonly keyPem: pulumi.Output<string>;

  constructor(name: string, args: CertificatesArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("abode:elk:Certificates", name, {}, opts);
    const organization = args.organization ?? "Abode";
    const earlyRenewalHours = args.earlyRenewalHours ?? 720;

    const caKey = new tls.PrivateKey(`${name}-ca-key`, { ...KEY_ALGORITHM }, { parent: this });
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `${organization} Elastic Stack CA`, organization },
        validityPeriodHours: args.caValidityHours ?? 43800,
        earlyRenewalHours,
        allowedUses: CA_USES,
      },
      { parent: this },
    );

    const nodeKey = new tls.PrivateKey(`${name}-node-key`, { ...KEY_ALGORITHM }, { parent: this });
    const request = new tls.CertRequest(
      `${name}-node-csr`,
      {
        privateKeyPem: nodeKey.privateKeyPem,
        subject: { commonName: "elasticsearch", organization },
        ...nodeSubjectAltNames(args),
      },
      { parent: this },
    );
    const node = new tls.LocallySignedCert(
      `${name}-node`,
      {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: ca.certPem,
        validityPeriodHours: args.nodeValidityHours ?? 8760,
        earlyRenewalHours,
        allowedUses: NODE_USES,
      },
      { parent: this },
    );

    this.caCertPem = ca.certPem;
    this.certPem = node.certPem;
    this.keyPem = pulumi.secret(nodeKey.privateKeyPem);
    this.registerOutputs({ caCertPem: this.caCertPem, certPem: this.certPem, keyPem: this.keyPem });
  }
}
