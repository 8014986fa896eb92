/**
 * The security CrossGuard pack: `pulumi preview --policy-pack policies/security --policy-pack-config policies/security/config.<stack>.json`.
 * The only place this pack's PolicyPack is constructed (it starts a gRPC server: never import this from a test).
 * Levels in code are prod's; config.dev.json lowers them to advisory.
 */
import { PolicyPack } from "@pulumi/policy";
import { toCrossGuardPolicies } from "../core/crossguard";
import { enforcementFor, policiesOf } from "../core/packs";

new PolicyPack("abode-security", {
  description: "Abode security policies",
  policies: toCrossGuardPolicies(policiesOf("security"), (policy) => enforcementFor(policy.pack, "prod")),
});
