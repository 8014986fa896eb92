import type { ResourcePolicy } from "../core/policy";
import { asArray, isTrue } from "./helpers";

/** Every EBS volume a resource declares is encrypted at rest. */
export const awsEc2VolumeRequireEncryption: ResourcePolicy = {
  kind: "resource",
  name: "aws-ec2-volume-require-encryption",
  pack: "security",
  description:
    "EBS volumes are encrypted: standalone volumes, launch-template block devices, instance root and extra block devices. " +
    "Matches AWS Foundational Security Best Practices EC2.3 (attached EBS volumes encrypted), Control Tower CT.EC2.PR.7, Checkov CKV_AWS_3 / CKV_AWS_8, " +
    "tfsec aws-autoscaling-enable-at-rest-encryption.",
  severity: "high",
  remediation: "Set `encrypted: \"true\"` (launch templates) / `encrypted: true` with a KMS key (`kmsKeyId`) on every block device and volume.",
  frameworks: ["aws-fsbp:EC2.3", "ct:CT.EC2.PR.7", "checkov:CKV_AWS_3", "checkov:CKV_AWS_8", "tfsec:aws-autoscaling-enable-at-rest-encryption"],
  validateResource({ type, props }) {
    switch (type) {
      case "aws:ebs/volume:Volume":
        return isTrue(props.encrypted) ? [] : ["the EBS volume is not encrypted"];
      case "aws:ec2/launchTemplate:LaunchTemplate":
        return asArray<Record<string, any>>(props.blockDeviceMappings)
          .filter((m) => m.ebs !== undefined)
          .map((m) => (isTrue(m.ebs.encrypted) ? "" : `block device ${m.deviceName ?? "?"} is not encrypted`))
          .filter(Boolean);
      case "aws:ec2/instance:Instance":
      case "aws:autoscaling/launchConfiguration:LaunchConfiguration": {
        const problems: string[] = [];
        if (props.rootBlockDevice && !isTrue(props.rootBlockDevice.encrypted)) problems.push("the root block device is not encrypted");
        if (type === "aws:ec2/instance:Instance" && !props.rootBlockDevice) problems.push("no rootBlockDevice: the root volume is encrypted only if the account default is on");
        for (const d of asArray<Record<string, any>>(props.ebsBlockDevices)) if (!isTrue(d.encrypted)) problems.push(`block device ${d.deviceName ?? "?"} is not encrypted`);
        return problems;
      }
      default:
        return [];
    }
  },
};
