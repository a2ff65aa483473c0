/**
 * The eager path: exchange bucket → SQS → S3-event Lambda → renditions bucket (+ CloudFront
 * invalidation by cache tag).
 *
 * Why SQS between S3 and the Lambda: S3 invokes a Lambda asynchronously and drops the event
 * after two retries; a queue keeps every event for 4 days, absorbs a bulk upload without
 * throttling, lets the handler fail single records (partial batch responses) and parks poison
 * events in a dead-letter queue that an alarm watches. Only the exchange bucket notifies; the
 * renditions bucket has no notification at all, so the Lambda can never trigger itself (CASES 19).
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { allowBucket } from './access.js';
import { METRICS_NAMESPACE } from './audit.js';
import { nodeFunction } from './node-function.js';

/** Wiring of the eager path. */
export interface ProcessingProps {
  readonly exchange: Bucket;
  readonly renditions: Bucket;
  readonly codeDir: string;
  /** Contract overrides as JSON (no secrets). */
  readonly configJson: string;
  /** ARN and id of the distribution whose cache the handler invalidates. */
  readonly distributionArn: string;
  readonly distributionId: string;
  /** `off` leaves DISTRIBUTION_ID unset, so the handler never invalidates. */
  readonly invalidation: 'tag' | 'path' | 'off';
  readonly memoryMb: number;
  readonly concurrency: number;
  readonly logRetentionDays: number;
}

/** Lambda timeout in seconds: a 24 MP original decoded once and encoded three times takes ~5 s. */
export const S3_EVENT_TIMEOUT_SECONDS = 120;
/** Deliveries of one event before it is parked in the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** Queue, dead-letter queue and S3-event Lambda. */
export class Processing extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly handler: LambdaFunction;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // AWS advises a visibility timeout of six times the function timeout for SQS sources.
    this.queue = new Queue(this, 'Events', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(S3_EVENT_TIMEOUT_SECONDS * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const destination = new SqsDestination(this.queue);
    props.exchange.addEventNotification(EventType.OBJECT_CREATED, destination);
    props.exchange.addEventNotification(EventType.OBJECT_REMOVED, destination);

    this.handler = nodeFunction(this, 'Handler', {
      codeDir: props.codeDir,
      description: 'vetrina: eager renditions, purge and invalidation for changed originals',
      memoryMb: props.memoryMb,
      timeout: Duration.seconds(S3_EVENT_TIMEOUT_SECONDS),
      reservedConcurrency: props.concurrency,
      logRetentionDays: props.logRetentionDays,
      environment: {
        EXCHANGE_BUCKET: props.exchange.bucketName,
        RENDITIONS_BUCKET: props.renditions.bucketName,
        ...(props.invalidation === 'off'
          ? {}
          : { DISTRIBUTION_ID: props.distributionId, INVALIDATE_BY: props.invalidation }),
        VETRINA_CONFIG: props.configJson,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: 's3-event',
      },
    });
    this.handler.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 5,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // Never poll faster than the reserved concurrency allows, so SQS does not see throttles.
        maxConcurrency: props.concurrency,
      }),
    );

    // Least privilege: read originals (never write them), read/write/delete/list renditions,
    // invalidate this one distribution (unless invalidation is off).
    allowBucket(this.handler, props.exchange, ['s3:GetObject']);
    allowBucket(this.handler, props.renditions, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    if (props.invalidation !== 'off') {
      this.handler.addToRolePolicy(
        new PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [props.distributionArn] }),
      );
    }
  }
}
