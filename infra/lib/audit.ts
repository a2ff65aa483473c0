/**
 * The scheduled audit: compares originals with their renditions and publishes the counts as
 * CloudWatch metrics, which an alarm watches (alarms.ts).
 *
 * Contract with the audit bundle: it writes EMF (or PutMetricData) in namespace `Vetrina` with the
 * dimension `service=audit` and the metrics in AUDIT_METRICS, one datapoint each per run, zero
 * included. At 160,000 originals and 480,000 renditions a run is ~640 LIST calls if staleness is
 * judged from LastModified first and only suspects are HEADed for their `source-etag`.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { allowBucket } from './access.js';
import { nodeFunction } from './node-function.js';

/** Namespace of vetrina's own metrics. */
export const METRICS_NAMESPACE = 'Vetrina';

/** Metric names the audit publishes (Count, dimension `service=audit`). */
export const AUDIT_METRICS = Object.freeze({
  missing: 'MissingRenditions',
  stale: 'StaleRenditions',
  orphaned: 'OrphanedRenditions',
  originals: 'OriginalsAudited',
});

/** Metric the S3-event, backfill and origin-response handlers publish per rendition stored. */
export const RENDITIONS_MADE_METRIC = 'RenditionsMade';

/** Wiring of the audit. */
export interface AuditProps {
  readonly exchange: Bucket;
  readonly renditions: Bucket;
  readonly codeDir: string;
  readonly configJson: string;
  /** EventBridge `cron(...)` or `rate(...)` expression, UTC. */
  readonly schedule: string;
  readonly logRetentionDays: number;
}

/** Audit Lambda and its schedule. */
export class Audit extends Construct {
  readonly handler: LambdaFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: AuditProps) {
    super(scope, id);

    this.handler = nodeFunction(this, 'Handler', {
      codeDir: props.codeDir,
      description: 'vetrina: count missing, stale and orphaned renditions',
      memoryMb: 1024,
      timeout: Duration.minutes(15),
      reservedConcurrency: 1,
      logRetentionDays: props.logRetentionDays,
      environment: {
        EXCHANGE_BUCKET: props.exchange.bucketName,
        RENDITIONS_BUCKET: props.renditions.bucketName,
        VETRINA_CONFIG: props.configJson,
        METRICS_NAMESPACE,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: 'audit',
      },
    });
    // Read only: the audit reports, it never repairs (a backfill run does).
    allowBucket(this.handler, props.exchange, ['s3:GetObject']);
    allowBucket(this.handler, props.renditions, ['s3:GetObject']);

    this.rule = new Rule(this, 'Schedule', {
      description: 'vetrina: run the rendition audit',
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaTarget(this.handler, { retryAttempts: 2 })],
    });
  }
}
