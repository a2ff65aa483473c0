/**
 * The whole deployment in the main region (buckets, queue, Lambdas, distribution, backfill,
 * audit, alarms, dashboard), plus the us-east-1 pieces CloudFront requires: the Lambda@Edge
 * stack (`{id}-Edge`, made by EdgeFunction) and the CloudFront alarms stack (`{id}-EdgeAlarms`).
 */
import { CfnOutput, Stack, type StackProps, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic, EdgeAlarms, RegionalAlarms } from './alarms.js';
import { Audit } from './audit.js';
import { Backfill } from './backfill.js';
import { locateBundles, stageEdgeBundle } from './bundles.js';
import { OperationsDashboard } from './dashboard.js';
import { Delivery } from './delivery.js';
import { seconds } from './node-function.js';
import { Processing, S3_EVENT_TIMEOUT_SECONDS } from './processing.js';
import { type ResolvedSettings, resolveSettings, SIGNING_KEYS_KVS_KEY, type VetrinaSettings } from './props.js';
import { Storage } from './storage.js';

/** Stack props plus the deployment settings; `env.region` is required (Lambda@Edge needs it). */
export interface VetrinaStackProps extends StackProps {
  readonly settings: VetrinaSettings;
}

/** The main stack. Construct ids are a contract: renaming one replaces the resource. */
export class VetrinaStack extends Stack {
  readonly settings: ResolvedSettings;
  /** The bucket names as plain strings (known at synth, baked into the Lambda@Edge asset). */
  readonly bucketNames: { readonly exchange: string; readonly renditions: string };
  readonly storage: Storage;
  readonly processing: Processing;
  readonly delivery: Delivery;
  readonly backfill: Backfill;
  readonly audit: Audit;
  readonly alarmTopic: AlarmTopic;
  readonly regionalAlarms: RegionalAlarms;
  /** CloudFront alarms, here only when the main region is us-east-1. */
  readonly edgeAlarms: EdgeAlarms | undefined;

  constructor(scope: Construct, id: string, props: VetrinaStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    if (Token.isUnresolved(this.region)) {
      throw new Error(`stack ${id}: env.region must be set (for example eu-central-1), got an unresolved region`);
    }
    this.settings = resolveSettings(props.settings);
    const settings = this.settings;
    const bundles = locateBundles(settings.bundlesDir);
    const exchangeBucketName = settings.exchangeBucketName ?? this.defaultBucketName('exchange');
    const renditionsBucketName = settings.renditionsBucketName ?? this.defaultBucketName('renditions');
    const configJson = JSON.stringify(settings.edgeConfig);
    this.bucketNames = { exchange: exchangeBucketName, renditions: renditionsBucketName };

    this.storage = new Storage(this, 'Storage', { exchangeBucketName, renditionsBucketName });
    const { exchange, renditions, operations } = this.storage;

    this.delivery = new Delivery(this, 'Delivery', {
      renditions,
      exchangeBucketName,
      renditionsBucketName,
      operations,
      viewerRequestCode: bundles.viewerRequestCode,
      originResponseDir: stageEdgeBundle(bundles.originResponseDir, {
        exchange: { bucket: exchangeBucketName, region: this.region },
        renditions: { bucket: renditionsBucketName, region: this.region },
        edge: settings.edgeConfig,
      }),
      originResponseMemoryMb: settings.originResponseMemoryMb,
      priceClass: settings.priceClass,
      domainNames: settings.domainNames,
      certificateArn: settings.certificateArn,
      webAclArn: settings.webAclArn,
      additionalMetrics: settings.cloudFrontAdditionalMetrics,
    });
    const { distribution } = this.delivery;

    this.processing = new Processing(this, 'Processing', {
      exchange,
      renditions,
      codeDir: bundles.s3EventDir,
      configJson,
      distributionArn: this.formatArn({
        service: 'cloudfront',
        region: '',
        resource: 'distribution',
        resourceName: distribution.distributionId,
      }),
      distributionId: distribution.distributionId,
      invalidation: settings.invalidation,
      memoryMb: settings.s3EventMemoryMb,
      concurrency: settings.s3EventConcurrency,
      logRetentionDays: settings.logRetentionDays,
    });

    this.backfill = new Backfill(this, 'Backfill', {
      exchange,
      renditions,
      operations,
      codeDir: bundles.backfillDir,
      configJson,
      concurrency: settings.backfillConcurrency,
      batchSize: settings.backfillBatchSize,
      toleratedFailurePercent: settings.backfillToleratedFailurePercent,
      logRetentionDays: settings.logRetentionDays,
    });

    this.audit = new Audit(this, 'Audit', {
      exchange,
      renditions,
      codeDir: bundles.auditDir,
      configJson,
      schedule: settings.auditSchedule,
      logRetentionDays: settings.logRetentionDays,
    });

    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      emails: settings.alarmEmails,
      phoneNumbers: settings.alarmPhoneNumbers,
    });
    this.regionalAlarms = new RegionalAlarms(this, 'RegionalAlarms', {
      topic: this.alarmTopic,
      s3Event: this.processing.handler,
      s3EventTimeout: seconds(S3_EVENT_TIMEOUT_SECONDS),
      queue: this.processing.queue,
      deadLetterQueue: this.processing.deadLetterQueue,
      audit: this.audit.handler,
      backfill: this.backfill.stateMachine,
    });
    this.edgeAlarms =
      this.region === 'us-east-1'
        ? new EdgeAlarms(this, 'EdgeAlarms', { topic: this.alarmTopic, distributionId: distribution.distributionId })
        : undefined;

    new OperationsDashboard(this, 'Dashboard', {
      distributionId: distribution.distributionId,
      s3Event: this.processing.handler,
      queue: this.processing.queue,
      deadLetterQueue: this.processing.deadLetterQueue,
      alarms: [...this.regionalAlarms.alarms, ...(this.edgeAlarms?.alarms ?? [])],
      additionalMetrics: settings.cloudFrontAdditionalMetrics,
    });

    const cdnHost = settings.domainNames[0] ?? distribution.distributionDomainName;
    new CfnOutput(this, 'CdnBaseUrl', {
      value: `https://${cdnHost}`,
      description: 'PHP/TS SDK config: baseUrl',
    });
    new CfnOutput(this, 'DistributionId', { value: distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', { value: distribution.distributionDomainName });
    new CfnOutput(this, 'ExchangeBucketName', {
      value: exchange.bucketName,
      description: 'Where the ERP uploads originals',
    });
    new CfnOutput(this, 'RenditionsBucketName', { value: renditions.bucketName });
    new CfnOutput(this, 'SigningKeyStoreArn', {
      value: this.delivery.signingKeys.keyValueStoreArn,
      description: `Put the HMAC key ring under the key "${SIGNING_KEYS_KVS_KEY}"`,
    });
    new CfnOutput(this, 'BackfillStateMachineArn', { value: this.backfill.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
  }

  // Lambda@Edge cannot read the names from the environment, so they must be known at synth.
  private defaultBucketName(role: 'exchange' | 'renditions'): string {
    if (Token.isUnresolved(this.account)) {
      throw new Error(
        `stack ${this.node.id}: ${role}BucketName is required when the account is not known at synth ` +
          '(set env.account, CDK_DEFAULT_ACCOUNT, or the bucket names)',
      );
    }
    return `vetrina-${role}-${this.account}-${this.region}`;
  }
}

/** Props of the us-east-1 stack holding the CloudFront alarms. */
export interface EdgeAlarmsStackProps extends StackProps {
  readonly main: VetrinaStack;
}

/** CloudFront and Lambda@Edge alarms with their own topic, in us-east-1 where the metrics are. */
export class EdgeAlarmsStack extends Stack {
  readonly alarmTopic: AlarmTopic;
  readonly edgeAlarms: EdgeAlarms;

  constructor(scope: Construct, id: string, props: EdgeAlarmsStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.main.account, region: 'us-east-1' },
      crossRegionReferences: true,
    });
    const settings = props.main.settings;

    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      emails: settings.alarmEmails,
      phoneNumbers: settings.alarmPhoneNumbers,
    });
    this.edgeAlarms = new EdgeAlarms(this, 'EdgeAlarms', {
      topic: this.alarmTopic,
      distributionId: props.main.delivery.distribution.distributionId,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
  }
}
