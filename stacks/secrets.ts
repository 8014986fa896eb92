import * as random from "@pulumi/random";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Credentials nobody needs to choose, generated once per stack and kept in its state as
 * secrets. There is no default password anywhere: each of these is random.
 */
export interface GeneratedSecrets {
  grafanaAdminPassword: pulumi.Output<string>;
  /** Grafana's read-only Elasticsearch user (logs only). */
  grafanaReaderPassword: pulumi.Output<string>;
  elasticPassword: pulumi.Output<string>;
  kibanaSystemPassword: pulumi.Output<string>;
  logstashWriterPassword: pulumi.Output<string>;
  /** Kibana's saved-object, session and reporting encryption key (32+ characters). */
  kibanaEncryptionKey: pulumi.Output<string>;
}

export function generateSecrets(): GeneratedSecrets {
  // Alphanumeric: these go into URLs, YAML and shell environments without quoting trouble.
  const password = (name: string, length = 32) => new random.RandomPassword(name, { length, special: false }).result;
  return {
    grafanaAdminPassword: password("grafana-admin-password"),
    grafanaReaderPassword: password("grafana-reader-password"),
    elasticPassword: password("elastic-password"),
    kibanaSystemPassword: password("kibana-system-password"),
    logstashWriterPassword: password("logstash-writer-password"),
    kibanaEncryptionKey: password("kibana-encryption-key", 48),
  };
}
