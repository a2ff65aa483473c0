/**
 * The monthly AWS bill of one vetrina deployment for a given workload, line by line, from the
 * per-unit prices in prices.json. Pure: no AWS calls, no clock. The CLI is model.ts.
 */

/** What the deployment does in a month. Sizes in KB (1024 bytes), durations in seconds. */
export interface Workload {
  /** Originals in the exchange bucket. */
  readonly originals: number;
  /** Eager renditions per original (3 by default: thumb, card, large). */
  readonly eagerPerOriginal: number;
  /** Extra renditions per original made on first request and kept (other widths, WebP/AVIF). */
  readonly onDemandPerOriginal: number;
  readonly avgOriginalKb: number;
  readonly avgRenditionKb: number;
  readonly pageViewsPerMonth: number;
  readonly imagesPerPage: number;
  /** Share of image requests CloudFront answers from its cache, 0–1. */
  readonly cacheHitRate: number;
  /** Originals added or replaced per day. */
  readonly updatesPerDay: number;
  /** Share of those updates that replace an existing original (and so invalidate its cache tag), 0–1. */
  readonly replacedShare: number;
  /** CloudFront invalidations per replaced original: 1 with tag or path invalidation, 0 with it off. */
  readonly invalidationsPerReplace: number;
  /** S3-event Lambda time per original for all eager renditions, at `s3EventMemoryGb`. */
  readonly eagerSecondsPerOriginal: number;
  readonly s3EventMemoryGb: number;
  /** Lambda@Edge time to make one on-demand rendition, at `edgeMemoryGb`. */
  readonly onDemandSeconds: number;
  /** Lambda@Edge time when the rendition already exists (pass-through), in seconds. */
  readonly passThroughSeconds: number;
  readonly edgeMemoryGb: number;
  /** Audit Lambda run time per day, at 1 GB. */
  readonly auditSeconds: number;
  /** SQS requests per minute made by the Lambda event source's long polling while idle. */
  readonly sqsPollsPerMinute: number;
  /** Billed alarm metrics (a metric-math alarm counts each metric it reads). */
  readonly alarmMetrics: number;
  /** Custom metrics (distinct name + dimensions) the handlers and the audit publish. */
  readonly customMetrics: number;
  /** CloudFront additional metrics (cache hit rate and per-status rates) switched on. */
  readonly additionalMetrics: boolean;
  /** CloudWatch Logs written per Lambda invocation, in KB. */
  readonly logKbPerInvocation: number;
  /** CloudFront standard log bytes per request after gzip, in bytes. */
  readonly accessLogBytesPerRequest: number;
  readonly alarmEmailsPerMonth: number;
  readonly alarmSmsPerMonth: number;
  /** Originals per backfill batch (one Lambda invocation, one Express child workflow). */
  readonly backfillBatchSize: number;
  /** Apply AWS's always-free monthly allowances. */
  readonly freeTier: boolean;
  readonly daysPerMonth: number;
}

/** Per-unit prices, the shape of prices.json. */
export interface Prices {
  readonly checkedOn: string;
  readonly s3: { storagePerGbMonth: number; putCopyPostListPer1000: number; getHeadPer1000: number };
  readonly lambda: { requestsPerMillion: number; perGbSecond: number; freeRequests: number; freeGbSeconds: number };
  readonly lambdaEdge: { requestsPerMillion: number; perGbSecond: number };
  readonly cloudFront: {
    dataTransferPerGb: number;
    httpsRequestsPer10000: number;
    functionInvocationsPerMillion: number;
    keyValueStoreReadsPerMillion: number;
    invalidationPathsPerPath: number;
    freeDataTransferGb: number;
    freeRequests: number;
    freeFunctionInvocations: number;
    freeInvalidationPaths: number;
    additionalMetricsPerDistribution: number;
  };
  readonly sqs: { requestsPerMillion: number; freeRequests: number };
  readonly stepFunctions: {
    standardTransitionsPer1000: number;
    expressRequestsPerMillion: number;
    expressPerGbSecond: number;
  };
  readonly cloudWatch: {
    alarmMetricPerMonth: number;
    freeAlarmMetrics: number;
    customMetricPerMonth: number;
    freeCustomMetrics: number;
    logsIngestionPerGb: number;
    freeLogsGb: number;
  };
  readonly sns: { emailPer100000: number; freeEmails: number; smsPerMessage: number };
}

/** One priced item. */
export interface CostLine {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

/** The monthly bill and the one-off cost of a full backfill. */
export interface Estimate {
  readonly monthly: readonly CostLine[];
  readonly monthlyUsd: number;
  readonly backfill: readonly CostLine[];
  readonly backfillUsd: number;
}

/** The reference deployment: 160,000 originals, 480,000 eager renditions (DESIGN.md). */
export const REFERENCE_WORKLOAD: Workload = Object.freeze({
  originals: 160_000,
  eagerPerOriginal: 3,
  onDemandPerOriginal: 1,
  avgOriginalKb: 250,
  avgRenditionKb: 45,
  pageViewsPerMonth: 1_000_000,
  imagesPerPage: 8,
  cacheHitRate: 0.95,
  updatesPerDay: 200,
  replacedShare: 0.5,
  invalidationsPerReplace: 0,
  // Measured: 0.10 CPU-s per original for the three eager renditions (BENCHMARKS.md), plus the
  // S3 read, three HEADs and three PUTs; 0.35 s of a 2 GB Lambda leaves room for both.
  eagerSecondsPerOriginal: 0.35,
  s3EventMemoryGb: 2,
  onDemandSeconds: 0.8,
  passThroughSeconds: 0.01,
  edgeMemoryGb: 1.5,
  auditSeconds: 120,
  sqsPollsPerMinute: 15,
  alarmMetrics: 17,
  customMetrics: 10,
  additionalMetrics: false,
  logKbPerInvocation: 0.5,
  accessLogBytesPerRequest: 60,
  alarmEmailsPerMonth: 20,
  alarmSmsPerMonth: 4,
  backfillBatchSize: 25,
  freeTier: true,
  daysPerMonth: 30,
});

const KB_PER_GB = 1024 * 1024;
const round = (usd: number) => Math.round(usd * 10_000) / 10_000;

/**
 * Prices `workload`. Throws an Error naming a field that is negative, not a number, or (for
 * shares) above 1.
 */
export function estimate(workload: Workload, prices: Prices): Estimate {
  validate(workload);
  const w = workload;
  const free = (allowance: number) => (w.freeTier ? allowance : 0);
  const billable = (quantity: number, allowance: number) => Math.max(0, quantity - free(allowance));
  const monthly: CostLine[] = [];
  const add = (lines: CostLine[], service: string, item: string, quantity: number, unit: string, usd: number) =>
    lines.push({ service, item, quantity: Math.round(quantity * 100) / 100, unit, usd: round(usd) });

  const imageRequests = w.pageViewsPerMonth * w.imagesPerPage;
  const originFetches = imageRequests * (1 - w.cacheHitRate);
  const updates = w.updatesPerDay * w.daysPerMonth;
  const onDemandMade = updates * w.onDemandPerOriginal;
  const renditions = w.originals * (w.eagerPerOriginal + w.onDemandPerOriginal);

  const originalsGb = (w.originals * w.avgOriginalKb) / KB_PER_GB;
  // Replaced originals keep their old version for 30 days (exchange bucket lifecycle).
  const oldVersionsGb = (updates * w.replacedShare * w.avgOriginalKb) / KB_PER_GB;
  const renditionsGb = (renditions * w.avgRenditionKb) / KB_PER_GB;
  // CloudFront logs are kept 90 days: about three months of them are stored at any time.
  const accessLogsGb = (3 * imageRequests * w.accessLogBytesPerRequest) / (KB_PER_GB * 1024);
  add(monthly, 'S3', 'storage: originals', originalsGb, 'GB-month', originalsGb * prices.s3.storagePerGbMonth);
  add(
    monthly,
    'S3',
    'storage: replaced versions',
    oldVersionsGb,
    'GB-month',
    oldVersionsGb * prices.s3.storagePerGbMonth,
  );
  add(monthly, 'S3', 'storage: renditions', renditionsGb, 'GB-month', renditionsGb * prices.s3.storagePerGbMonth);
  add(monthly, 'S3', 'storage: CloudFront logs', accessLogsGb, 'GB-month', accessLogsGb * prices.s3.storagePerGbMonth);

  const auditLists = ((w.originals + renditions) / 1000) * w.daysPerMonth;
  const puts = updates + updates * w.eagerPerOriginal + onDemandMade + auditLists;
  // Per update the S3-event handler heads the original, reads it, heads each eager rendition
  // and re-checks the original's ETag before writing.
  const gets = originFetches + updates * (3 + w.eagerPerOriginal) + onDemandMade;
  add(monthly, 'S3', 'PUT and LIST requests', puts, 'requests', (puts / 1000) * prices.s3.putCopyPostListPer1000);
  add(monthly, 'S3', 'GET and HEAD requests', gets, 'requests', (gets / 1000) * prices.s3.getHeadPer1000);

  const regionalInvocations = updates + w.daysPerMonth;
  const regionalGbSeconds = updates * w.eagerSecondsPerOriginal * w.s3EventMemoryGb + w.daysPerMonth * w.auditSeconds;
  add(
    monthly,
    'Lambda',
    'S3-event and audit requests',
    regionalInvocations,
    'requests',
    (billable(regionalInvocations, prices.lambda.freeRequests) / 1e6) * prices.lambda.requestsPerMillion,
  );
  add(
    monthly,
    'Lambda',
    'S3-event and audit compute',
    regionalGbSeconds,
    'GB-s',
    billable(regionalGbSeconds, prices.lambda.freeGbSeconds) * prices.lambda.perGbSecond,
  );

  const edgeGbSeconds =
    (originFetches - Math.min(onDemandMade, originFetches)) * w.passThroughSeconds * w.edgeMemoryGb +
    onDemandMade * w.onDemandSeconds * w.edgeMemoryGb;
  add(
    monthly,
    'Lambda@Edge',
    'origin-response requests',
    originFetches,
    'requests',
    (originFetches / 1e6) * prices.lambdaEdge.requestsPerMillion,
  );
  add(
    monthly,
    'Lambda@Edge',
    'origin-response compute',
    edgeGbSeconds,
    'GB-s',
    edgeGbSeconds * prices.lambdaEdge.perGbSecond,
  );

  const transferGb = (imageRequests * w.avgRenditionKb) / KB_PER_GB;
  const cf = prices.cloudFront;
  add(
    monthly,
    'CloudFront',
    'data transfer out',
    transferGb,
    'GB',
    billable(transferGb, cf.freeDataTransferGb) * cf.dataTransferPerGb,
  );
  add(
    monthly,
    'CloudFront',
    'HTTPS requests',
    imageRequests,
    'requests',
    (billable(imageRequests, cf.freeRequests) / 10_000) * cf.httpsRequestsPer10000,
  );
  add(
    monthly,
    'CloudFront Functions',
    'viewer-request invocations',
    imageRequests,
    'invocations',
    (billable(imageRequests, cf.freeFunctionInvocations) / 1e6) * cf.functionInvocationsPerMillion,
  );
  add(
    monthly,
    'CloudFront Functions',
    'KeyValueStore reads (signing keys)',
    imageRequests,
    'reads',
    (imageRequests / 1e6) * cf.keyValueStoreReadsPerMillion,
  );
  const invalidations = updates * w.replacedShare * w.invalidationsPerReplace;
  add(
    monthly,
    'CloudFront',
    'tag invalidations',
    invalidations,
    'paths',
    billable(invalidations, cf.freeInvalidationPaths) * cf.invalidationPathsPerPath,
  );

  const sqsRequests = updates * 3 + w.sqsPollsPerMinute * 60 * 24 * w.daysPerMonth;
  add(
    monthly,
    'SQS',
    'S3 event queue requests',
    sqsRequests,
    'requests',
    (billable(sqsRequests, prices.sqs.freeRequests) / 1e6) * prices.sqs.requestsPerMillion,
  );

  const cw = prices.cloudWatch;
  add(
    monthly,
    'CloudWatch',
    'alarms',
    w.alarmMetrics,
    'alarm metrics',
    billable(w.alarmMetrics, cw.freeAlarmMetrics) * cw.alarmMetricPerMonth,
  );
  const metrics = w.customMetrics + (w.additionalMetrics ? cf.additionalMetricsPerDistribution : 0);
  add(
    monthly,
    'CloudWatch',
    'custom and CloudFront additional metrics',
    metrics,
    'metrics',
    billable(metrics, cw.freeCustomMetrics) * cw.customMetricPerMonth,
  );
  const logsGb = ((regionalInvocations + originFetches) * w.logKbPerInvocation) / KB_PER_GB;
  add(monthly, 'CloudWatch', 'log ingestion', logsGb, 'GB', billable(logsGb, cw.freeLogsGb) * cw.logsIngestionPerGb);

  add(
    monthly,
    'SNS',
    'alarm e-mails',
    w.alarmEmailsPerMonth,
    'e-mails',
    (billable(w.alarmEmailsPerMonth, prices.sns.freeEmails) / 100_000) * prices.sns.emailPer100000,
  );
  add(monthly, 'SNS', 'alarm SMS', w.alarmSmsPerMonth, 'messages', w.alarmSmsPerMonth * prices.sns.smsPerMessage);

  // The backfill is priced without free tiers: it usually runs once, in a month that has used them.
  const backfill: CostLine[] = [];
  const batches = Math.ceil(w.originals / w.backfillBatchSize);
  const backfillGbSeconds = w.originals * w.eagerSecondsPerOriginal * w.s3EventMemoryGb;
  add(backfill, 'Lambda', 'backfill requests', batches, 'requests', (batches / 1e6) * prices.lambda.requestsPerMillion);
  add(backfill, 'Lambda', 'backfill compute', backfillGbSeconds, 'GB-s', backfillGbSeconds * prices.lambda.perGbSecond);
  const sf = prices.stepFunctions;
  const childGbSeconds = batches * w.backfillBatchSize * w.eagerSecondsPerOriginal * 0.064;
  add(
    backfill,
    'Step Functions',
    'Express child workflows',
    batches,
    'requests',
    (batches / 1e6) * sf.expressRequestsPerMillion + childGbSeconds * sf.expressPerGbSecond,
  );
  add(
    backfill,
    'Step Functions',
    'Standard state transitions',
    batches + 10,
    'transitions',
    ((batches + 10) / 1000) * sf.standardTransitionsPer1000,
  );
  const backfillPuts = w.originals * w.eagerPerOriginal + w.originals / 1000 + batches;
  const backfillGets = w.originals * (2 + w.eagerPerOriginal);
  add(
    backfill,
    'S3',
    'backfill PUT and LIST',
    backfillPuts,
    'requests',
    (backfillPuts / 1000) * prices.s3.putCopyPostListPer1000,
  );
  add(
    backfill,
    'S3',
    'backfill GET and HEAD',
    backfillGets,
    'requests',
    (backfillGets / 1000) * prices.s3.getHeadPer1000,
  );

  const sum = (lines: CostLine[]) => round(lines.reduce((total, line) => total + line.usd, 0));
  return { monthly, monthlyUsd: sum(monthly), backfill, backfillUsd: sum(backfill) };
}

function validate(workload: Workload): void {
  for (const [field, value] of Object.entries(workload)) {
    if (typeof value === 'boolean') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`workload ${field}: expected a number ≥ 0, got ${String(value)}`);
    }
  }
  for (const field of ['cacheHitRate', 'replacedShare'] as const) {
    if (workload[field] > 1) throw new Error(`workload ${field}: expected a share from 0 to 1, got ${workload[field]}`);
  }
  if (workload.backfillBatchSize < 1) {
    throw new Error(`workload backfillBatchSize: expected at least 1, got ${workload.backfillBatchSize}`);
  }
}
