/**
 * Alarms that reach a person. Every alarm publishes to an SNS topic with the e-mail and SMS
 * subscriptions from the settings, on ALARM and on OK, and its description says what broke and
 * what to do. CloudFront publishes its metrics (including Lambda@Edge errors) in us-east-1 only,
 * and an alarm can only watch metrics of its own region, so those alarms live in a us-east-1
 * stack with a topic of its own.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AUDIT_METRICS, METRICS_NAMESPACE } from './audit.js';

/** Who is told. */
export interface AlarmTopicProps {
  readonly emails: readonly string[];
  readonly phoneNumbers: readonly string[];
}

/** An SNS topic with the on-call subscriptions, and a helper that wires alarms to it. */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Topic', { displayName: 'vetrina alarms', enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    for (const phone of props.phoneNumbers) this.topic.addSubscription(new SmsSubscription(phone));
    this.action = new SnsAction(this.topic);
  }

  /** Sends the alarm's ALARM and OK transitions to the topic; returns the alarm. */
  notify(alarm: Alarm): Alarm {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

const FIVE_MINUTES = Duration.minutes(5);

/** Options shared by the alarm helpers. */
interface AlarmSpec {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly description: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly comparison?: ComparisonOperator;
  readonly missing?: TreatMissingData;
}

function alarm(scope: Construct, id: string, topic: AlarmTopic, spec: AlarmSpec): Alarm {
  return topic.notify(
    new Alarm(scope, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: spec.missing ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    }),
  );
}

/** What the regional alarms watch. */
export interface RegionalAlarmsProps {
  readonly topic: AlarmTopic;
  readonly s3Event: LambdaFunction;
  readonly s3EventTimeout: Duration;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly audit: LambdaFunction;
  readonly backfill: StateMachine;
}

/** Alarms on the eager path, the audit and the backfill (main region). */
export class RegionalAlarms extends Construct {
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: RegionalAlarmsProps) {
    super(scope, id);
    const { topic } = props;
    const fn = props.s3Event.functionName;

    this.alarms = [
      alarm(this, 'S3EventErrors', topic, {
        metric: props.s3Event.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        description:
          `The S3-event Lambda ${fn} failed (crash or timeout), so new or replaced originals may lack ` +
          'renditions. Read its log group for level=error lines with the key; the events are retried from SQS.',
      }),
      alarm(this, 'S3EventThrottles', topic, {
        metric: props.s3Event.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        description:
          `The S3-event Lambda ${fn} is being throttled: the account's concurrency is exhausted or the ` +
          'reserved concurrency is too low for the upload rate. Check other functions in the account and ' +
          'raise s3EventConcurrency if the queue keeps growing.',
      }),
      alarm(this, 'S3EventDurationNearTimeout', topic, {
        metric: props.s3Event.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: props.s3EventTimeout.toMilliseconds() * 0.8,
        description:
          `The S3-event Lambda ${fn} ran longer than 80% of its ${props.s3EventTimeout.toSeconds()} s timeout. ` +
          'Very large originals or slow S3 are the usual cause; raise s3EventMemoryMb (more CPU) before it times out.',
      }),
      alarm(this, 'DeadLetters', topic, {
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
        description:
          'S3 events failed five deliveries and were parked in the dead-letter queue ' +
          `${props.deadLetterQueue.queueName}: those originals have no fresh renditions. Fix the cause in the ` +
          'S3-event logs, then redrive the queue (SQS console: "Start DLQ redrive").',
      }),
      alarm(this, 'DeadLettersOldest', topic, {
        metric: props.deadLetterQueue.metricApproximateAgeOfOldestMessage({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: Duration.days(3).toSeconds(),
        description:
          'A dead-lettered S3 event is older than 3 days and will be deleted after 14. Redrive or inspect it ' +
          `in ${props.deadLetterQueue.queueName} now, or run the backfill to catch up.`,
      }),
      alarm(this, 'QueueBacklog', topic, {
        metric: props.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: Duration.minutes(15).toSeconds(),
        evaluationPeriods: 2,
        description:
          `S3 events have waited over 15 minutes in ${props.queue.queueName}: renditions lag behind uploads. ` +
          'Check S3-event errors and throttles; a bulk upload drains by itself, otherwise raise s3EventConcurrency.',
      }),
      alarm(this, 'AuditFailed', topic, {
        metric: props.audit.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        threshold: 1,
        description:
          `The rendition audit ${props.audit.functionName} failed, so missing or stale renditions go unnoticed. ` +
          'Read its log group; usually a timeout (more memory) or a permission change on the buckets.',
      }),
      alarm(this, 'RenditionsOutOfDate', topic, {
        metric: new MathExpression({
          expression: 'missing + stale',
          usingMetrics: {
            missing: auditMetric(AUDIT_METRICS.missing),
            stale: auditMetric(AUDIT_METRICS.stale),
          },
          period: Duration.days(1),
          label: 'missing + stale renditions',
        }),
        threshold: 0,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        // Two audits in a row: renditions still being made right after an upload burst are not a fault.
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        description:
          'Two audits in a row found originals whose eager renditions are missing or older than the ' +
          'original (source ETag differs), so viewers get errors or old pictures. Check the S3-event alarms, ' +
          'then start the backfill (infra/README.md, "Backfill"), which makes exactly the missing ones.',
      }),
      alarm(this, 'BackfillFailed', topic, {
        metric: props.backfill.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        description:
          'A backfill run failed: more batches failed than the tolerated share, or it timed out. The report ' +
          'under backfill-reports/ in the operations bucket lists the failed batches; fix and start it again ' +
          '(finished originals are skipped).',
      }),
    ];
  }
}

/** One of the audit's metrics: the highest count of the day (one run a day by default). */
export function auditMetric(metricName: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: 'audit' },
    statistic: 'Maximum',
    period: Duration.days(1),
  });
}

/** A CloudFront metric of one distribution (us-east-1, dimension Region=Global). */
export function cloudFrontMetric(distributionId: string, metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    statistic,
    period: FIVE_MINUTES,
    region: 'us-east-1',
  });
}

/** What the CloudFront alarms watch. */
export interface EdgeAlarmsProps {
  readonly topic: AlarmTopic;
  readonly distributionId: string;
  /** 5xx share, in %, that pages someone. Default 1. */
  readonly fiveXxPercent?: number;
  /** 4xx share, in %, that counts as a spike. Default 15. */
  readonly fourXxPercent?: number;
}

/** Alarms on CloudFront and the origin-response Lambda@Edge (must be created in us-east-1). */
export class EdgeAlarms extends Construct {
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: EdgeAlarmsProps) {
    super(scope, id);
    const { topic, distributionId } = props;
    const metric = (name: string, statistic: string) => cloudFrontMetric(distributionId, name, statistic);
    // Rates from a handful of requests say nothing; only judge five minutes with 100 or more.
    const whenBusy = (rateName: string) =>
      new MathExpression({
        expression: 'IF(requests >= 100, rate, 0)',
        usingMetrics: { requests: metric('Requests', 'Sum'), rate: metric(rateName, 'Average') },
        period: FIVE_MINUTES,
        label: `${rateName} with 100+ requests`,
      });

    this.alarms = [
      alarm(this, 'EdgeFunctionErrors', topic, {
        metric: new MathExpression({
          expression: 'execution + limit',
          usingMetrics: {
            execution: metric('LambdaExecutionError', 'Sum'),
            limit: metric('LambdaLimitExceededError', 'Sum'),
          },
          period: FIVE_MINUTES,
          label: 'Lambda@Edge execution and limit errors',
        }),
        threshold: 5,
        description:
          `The origin-response Lambda@Edge of distribution ${distributionId} crashed, timed out or was ` +
          'throttled: new renditions fail with 502/503. Its logs are in the region nearest the viewers ' +
          '(log group /aws/lambda/us-east-1.<function>); check the last deployment and the originals it names.',
      }),
      alarm(this, 'EdgeFunctionInvalidResponses', topic, {
        metric: metric('LambdaValidationError', 'Sum'),
        threshold: 1,
        description:
          `CloudFront rejected responses of the origin-response Lambda@Edge of ${distributionId} (wrong shape, ` +
          'body over the generated-response limit, base64 without bodyEncoding): viewers get 502. Roll back the ' +
          'edge function version and read the handler logs near the viewers.',
      }),
      alarm(this, 'ServerErrorRate', topic, {
        metric: whenBusy('5xxErrorRate'),
        threshold: props.fiveXxPercent ?? 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        description:
          `Over ${props.fiveXxPercent ?? 1}% of requests to ${distributionId} end in 5xx: images are broken on ` +
          'the portal. Look at the edge function alarms, S3 availability and the last deployment.',
      }),
      alarm(this, 'ClientErrorSpike', topic, {
        metric: whenBusy('4xxErrorRate'),
        threshold: props.fourXxPercent ?? 15,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        description:
          `Over ${props.fourXxPercent ?? 15}% of requests to ${distributionId} end in 4xx for 15 minutes: ` +
          'either originals are missing (404: check the ERP sync and the audit) or someone probes URLs ' +
          '(400/403: check the CloudFront logs in the operations bucket for the source).',
      }),
    ];
  }
}
