/**
 * The three buckets: exchange (originals, the source of truth), renditions (derived, served
 * through CloudFront only) and operations (access logs and backfill reports). All private,
 * encrypted, TLS only.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Names of the buckets; undefined lets CloudFormation choose. */
export interface StorageProps {
  readonly exchangeBucketName: string | undefined;
  readonly renditionsBucketName: string | undefined;
}

/** Prefixes inside the operations bucket. */
export const OPERATIONS_PREFIXES = Object.freeze({
  exchangeAccessLogs: 'access-logs/exchange/',
  renditionsAccessLogs: 'access-logs/renditions/',
  cloudFrontLogs: 'cloudfront/',
  backfillReports: 'backfill-reports/',
});

/** Buckets of one deployment. Construct ids are a contract: renaming them replaces the buckets. */
export class Storage extends Construct {
  /** Originals, uploaded by the ERP. Versioned, so an overwrite or delete can be undone for 30 days. */
  readonly exchange: Bucket;
  /** Renditions under `{source key}/_r/{descriptor}`; nothing else. */
  readonly renditions: Bucket;
  /** Access logs, CloudFront logs and backfill reports; expire after 90 days. */
  readonly operations: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    // CloudFront standard logs are delivered with ACLs, so this bucket needs object ownership
    // "bucket owner preferred"; it is still closed to the public.
    this.operations = new Bucket(this, 'Operations', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-operational-records', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.exchange = new Bucket(this, 'Exchange', {
      bucketName: props.exchangeBucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.operations,
      serverAccessLogsPrefix: OPERATIONS_PREFIXES.exchangeAccessLogs,
      lifecycleRules: [
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // The originals are the customer's data: never delete them with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Renditions can always be made again from the originals, so no versioning; orphans (an
    // original deleted while its delete event was lost) are found by the audit, not by a lifecycle.
    this.renditions = new Bucket(this, 'Renditions', {
      bucketName: props.renditionsBucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.operations,
      serverAccessLogsPrefix: OPERATIONS_PREFIXES.renditionsAccessLogs,
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
