/**
 * The full backfill: a Step Functions distributed map lists the exchange bucket itself and hands
 * batches of originals to the backfill Lambda (the same rendition engine as the S3-event handler),
 * with a concurrency cap, a failure budget and a report in the operations bucket. Started with
 * `aws stepfunctions start-execution --state-machine-arn <BackfillStateMachineArn>` (infra/README.md).
 *
 * Event the Lambda receives per batch (ItemBatcher over S3ObjectsItemReader):
 * `{ "Items": [{ "Key", "Etag", "Size", "LastModified", "StorageClass" }, …], "BatchInput": { "source": "backfill" } }`.
 * It returns a summary and throws only when a batch must be retried or counted as failed.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  LogLevel,
  ResultWriterV2,
  S3ObjectsItemReader,
  StateMachine,
  StateMachineType,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { allowBucket } from './access.js';
import { METRICS_NAMESPACE } from './audit.js';
import { nodeFunction } from './node-function.js';
import { OPERATIONS_PREFIXES } from './storage.js';

/** Wiring and limits of the backfill. */
export interface BackfillProps {
  readonly exchange: Bucket;
  readonly renditions: Bucket;
  readonly operations: Bucket;
  readonly codeDir: string;
  readonly configJson: string;
  /** Batches rendered at the same time (MaxConcurrency). */
  readonly concurrency: number;
  /** Originals per Lambda invocation. */
  readonly batchSize: number;
  /** Share of failed batches, in %, before the whole run fails. */
  readonly toleratedFailurePercent: number;
  readonly logRetentionDays: number;
}

/**
 * Lambda timeout in seconds. A batch runs inside an Express child workflow, which ends after 5
 * minutes, so the Lambda must finish first (25 originals × ~5 s leaves a wide margin).
 */
export const BACKFILL_TIMEOUT_SECONDS = 240;

/** State machine and Lambda of the backfill. */
export class Backfill extends Construct {
  readonly handler: LambdaFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: BackfillProps) {
    super(scope, id);

    this.handler = nodeFunction(this, 'Handler', {
      codeDir: props.codeDir,
      description: 'vetrina: render the eager presets for a batch of originals (backfill)',
      memoryMb: 2048,
      timeout: Duration.seconds(BACKFILL_TIMEOUT_SECONDS),
      reservedConcurrency: props.concurrency,
      logRetentionDays: props.logRetentionDays,
      environment: {
        EXCHANGE_BUCKET: props.exchange.bucketName,
        RENDITIONS_BUCKET: props.renditions.bucketName,
        VETRINA_CONFIG: props.configJson,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: 'backfill',
      },
    });
    allowBucket(this.handler, props.exchange, ['s3:GetObject']);
    allowBucket(this.handler, props.renditions, ['s3:GetObject', 's3:PutObject']);

    const renderBatch = new LambdaInvoke(this, 'RenderBatch', {
      lambdaFunction: this.handler,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    renderBatch.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(5),
      maxAttempts: 2,
      backoffRate: 3,
    });

    const map = new DistributedMap(this, 'EachOriginal', {
      itemReader: new S3ObjectsItemReader({ bucket: props.exchange }),
      itemBatcher: new ItemBatcher({ maxItemsPerBatch: props.batchSize, batchInput: { source: 'backfill' } }),
      maxConcurrency: props.concurrency,
      toleratedFailurePercentage: props.toleratedFailurePercent,
      mapExecutionType: StateMachineType.EXPRESS,
      resultWriterV2: new ResultWriterV2({ bucket: props.operations, prefix: OPERATIONS_PREFIXES.backfillReports }),
      label: 'Backfill',
    });
    map.itemProcessor(renderBatch);

    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'vetrina: full backfill of the eager presets over the exchange bucket',
      definitionBody: DefinitionBody.fromChainable(map.next(new Succeed(this, 'Done'))),
      stateMachineType: StateMachineType.STANDARD,
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ERROR, includeExecutionData: false },
    });
  }
}
