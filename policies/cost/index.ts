/**
 * The cost CrossGuard pack: `pulumi preview --policy-pack policies/cost --policy-pack-config policies/cost/config.<stack>.json`.
 * The only place this pack's PolicyPack is constructed (it starts a gRPC server: never import this from a test).
 * Levels in code are prod's; config.dev.json lowers them to advisory.
 */
import { PolicyPack } from "@pulumi/policy";
import { toCrossGuardPolicies } from "../core/crossguard";
import { enforcementFor, policiesOf } from "../core/packs";

new PolicyPack("abode-cost", {
  description: "Abode cost policies",
  policies: toCrossGuardPolicies(policiesOf("cost"), (policy) => enforcementFor(policy.pack, "prod")),
});
