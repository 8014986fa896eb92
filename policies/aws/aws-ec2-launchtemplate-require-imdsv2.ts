import type { ResourcePolicy } from "../core/policy";

const WITH_METADATA_OPTIONS = new Set(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/spotInstanceRequest:SpotInstanceRequest"]);

/** Instance metadata only through IMDSv2 session tokens. */
export const awsEc2LaunchtemplateRequireImdsv2: ResourcePolicy = {
  kind: "resource",
  name: "aws-ec2-launchtemplate-require-imdsv2",
  pack: "security",
  description:
    "Launch templates and instances require IMDSv2 (`metadataOptions.httpTokens: required`), so a pod or an SSRF cannot read the node role's credentials with a plain GET. " +
    "Matches AWS Foundational Security Best Practices EC2.8 (instances) and EC2.170 (launch templates), Control Tower CT.EC2.PR.1, AWS Config ec2-launch-template-imdsv2-check, " +
    "Checkov CKV_AWS_79.",
  severity: "high",
  remediation: "Set `metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 }` (hop limit 1 keeps pods off IMDS; give pods IRSA roles).",
  frameworks: ["aws-fsbp:EC2.8", "aws-fsbp:EC2.170", "ct:CT.EC2.PR.1", "aws-config:ec2-launch-template-imdsv2-check", "checkov:CKV_AWS_79"],
  validateResource({ type, props }) {
    if (!WITH_METADATA_OPTIONS.has(type) && props.metadataOptions === undefined) return [];
    const options = props.metadataOptions;
    if (!options) return ["no metadataOptions: IMDSv1 stays available (httpTokens defaults to optional)"];
    if (options.httpEndpoint === "disabled") return [];
    return options.httpTokens === "required" ? [] : [`metadataOptions.httpTokens is ${JSON.stringify(options.httpTokens ?? "unset")}, not "required"`];
  },
};
