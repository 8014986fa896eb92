/**
 * In aws v7 a bucket's encryption, public access block and versioning are separate resources
 * that name the bucket (`bucket` input). These helpers pair each bucket with its companions.
 */
import type { AuditResource } from "../core/policy";
import { refersTo } from "./helpers";

export const BUCKET_TYPES = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);

export function bucketsOf(resources: AuditResource[]): AuditResource[] {
  return resources.filter((r) => BUCKET_TYPES.has(r.type));
}

/** The companion resources of `type` that configure `bucket`. */
export function companionsOf(bucket: AuditResource, type: string | string[], resources: AuditResource[]): AuditResource[] {
  const types = new Set(Array.isArray(type) ? type : [type]);
  return resources.filter((r) => types.has(r.type) && refersTo(r, r.props.bucket, bucket, ["bucket", "id"]));
}
