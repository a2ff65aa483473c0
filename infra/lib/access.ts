/**
 * Least-privilege S3 statements. The CDK `grant*` helpers add wildcard actions (`s3:List*`,
 * `s3:DeleteObject*`, `s3:Abort*`) that the handlers never use; these name each action.
 */
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/** Object-level S3 actions the handlers use (HeadObject is authorised by s3:GetObject). */
export type ObjectAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';

/**
 * Allows `actions` on every object of `bucket`, plus s3:ListBucket on the bucket when `list`
 * (listing also turns a missing key into 404 instead of 403).
 */
export function allowBucket(grantee: IGrantable, bucket: IBucket, actions: readonly ObjectAction[], list = true): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...actions], resources: [bucket.arnForObjects('*')] }),
  );
  if (list) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
  }
}
