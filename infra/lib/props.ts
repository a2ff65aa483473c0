/**
 * The deployment's one configuration object: what an operator may set, its defaults, and the
 * checks that run once at synth. Secrets never pass through here: the HMAC signing keys live in
 * a CloudFront KeyValueStore that operators fill after the first deploy (see infra/README.md).
 */
import { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import { type EdgeConfigOverrides, resolveConfig } from '../../edge/src/config.js';

/** What an operator sets; every field except `bundlesDir` has a default. */
export interface VetrinaSettings {
  /** Directory holding the built bundles (`npm run build`); relative paths start at the working directory. */
  readonly bundlesDir: string;
  /**
   * Contract overrides (presets, ladder, quality, limits) baked into the Lambdas. `signing.keys` MUST
   * stay empty: keys belong in the KeyValueStore. Default: SPEC.md's tables.
   */
  readonly edgeConfig?: EdgeConfigOverrides;
  /** Addresses that receive every alarm by e-mail; each must confirm the SNS subscription. Default: none. */
  readonly alarmEmails?: readonly string[];
  /** Phone numbers in E.164 form (`+491701234567`) that receive every alarm by SMS. Default: none. */
  readonly alarmPhoneNumbers?: readonly string[];
  /** CloudFront edge locations to pay for. Default: Europe and North America only (cheapest). */
  readonly priceClass?: PriceClass;
  /** Custom host names such as `img.example.com`; needs `certificateArn`. Default: the cloudfront.net name. */
  readonly domainNames?: readonly string[];
  /** ACM certificate in us-east-1 covering `domainNames`. */
  readonly certificateArn?: string;
  /**
   * How the S3-event handler clears the CDN after an original is replaced or deleted: `tag` (one
   * cache-tag invalidation), `path` (`/{key}/_r/*`) or `off` (portals that send `v` tokens need
   * none). Each invalidation beyond 1,000 a month costs 0.005 USD. Default `tag`.
   */
  readonly invalidation?: 'tag' | 'path' | 'off';
  /** ARN of a WAFv2 web ACL (scope CLOUDFRONT, us-east-1) to attach. Default: none (see the cost model). */
  readonly webAclArn?: string;
  /** Name of the originals bucket. Default: `vetrina-exchange-{account}-{region}`. */
  readonly exchangeBucketName?: string;
  /** Name of the renditions bucket. Default: `vetrina-renditions-{account}-{region}`. */
  readonly renditionsBucketName?: string;
  /** Upper bound on concurrent S3-event Lambdas, 2–100 (SQS polls with at least 2). Default 10. */
  readonly s3EventConcurrency?: number;
  /** S3-event Lambda memory in MB; CPU share grows with it. Default 2048 (a 24 MP JPEG decodes in ~1 s). */
  readonly s3EventMemoryMb?: number;
  /** Origin-response Lambda@Edge memory in MB, 128–10240. Default 1536. */
  readonly originResponseMemoryMb?: number;
  /** Parallel backfill batches (distributed map MaxConcurrency), 1–1000. Default 40. */
  readonly backfillConcurrency?: number;
  /** Originals per backfill Lambda invocation, 1–500. Default 25. */
  readonly backfillBatchSize?: number;
  /** Share of failed backfill batches tolerated before the run fails, 0–100 %. Default 1. */
  readonly backfillToleratedFailurePercent?: number;
  /** EventBridge cron expression (UTC) for the audit. Default `cron(30 3 * * ? *)`, daily at 03:30. */
  readonly auditSchedule?: string;
  /** Days to keep Lambda and Step Functions logs, one of CloudWatch's periods (1, 3, 5, 7, 14, 30, 60, 90, …). Default 30. */
  readonly logRetentionDays?: number;
  /**
   * Turn on CloudFront's additional metrics (cache hit rate, per-status error rates); billed as 8
   * custom metrics (about 2.40 USD a month). Default true.
   */
  readonly cloudFrontAdditionalMetrics?: boolean;
}

/** The settings after defaults, as the constructs read them. */
export interface ResolvedSettings {
  readonly bundlesDir: string;
  readonly edgeConfig: EdgeConfigOverrides;
  readonly alarmEmails: readonly string[];
  readonly alarmPhoneNumbers: readonly string[];
  readonly priceClass: PriceClass;
  readonly domainNames: readonly string[];
  readonly certificateArn: string | undefined;
  readonly webAclArn: string | undefined;
  readonly invalidation: 'tag' | 'path' | 'off';
  readonly exchangeBucketName: string | undefined;
  readonly renditionsBucketName: string | undefined;
  readonly s3EventConcurrency: number;
  readonly s3EventMemoryMb: number;
  readonly originResponseMemoryMb: number;
  readonly backfillConcurrency: number;
  readonly backfillBatchSize: number;
  readonly backfillToleratedFailurePercent: number;
  readonly auditSchedule: string;
  readonly logRetentionDays: number;
  readonly cloudFrontAdditionalMetrics: boolean;
}

/** Name of the KeyValueStore key holding the signing key ring as JSON `{"k1":"secret",…}`. */
export const SIGNING_KEYS_KVS_KEY = 'signing-keys';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CERT_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`vetrina settings ${name}: expected an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

// CloudWatch Logs only accepts these retention periods.
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function retentionDays(value: number): number {
  if (!RETENTION_DAYS.includes(value)) {
    throw new Error(`vetrina settings logRetentionDays: expected one of ${RETENTION_DAYS.join(', ')}, got ${value}`);
  }
  return value;
}

/**
 * Applies the defaults and validates every field once. Throws an Error naming the field, the
 * expected form and the value received (for instance a phone number not in E.164 form, or signing
 * keys placed in `edgeConfig`).
 */
export function resolveSettings(settings: VetrinaSettings): ResolvedSettings {
  const edgeConfig = settings.edgeConfig ?? {};
  resolveConfig(edgeConfig);
  if (Object.keys(edgeConfig.signing?.keys ?? {}).length > 0) {
    throw new Error(
      'vetrina settings edgeConfig.signing.keys: expected no keys (secrets never go into the template); ' +
        `put them in the KeyValueStore under "${SIGNING_KEYS_KVS_KEY}" instead`,
    );
  }

  const alarmEmails = [...(settings.alarmEmails ?? [])];
  for (const email of alarmEmails) {
    if (!EMAIL.test(email)) throw new Error(`vetrina settings alarmEmails: expected an e-mail address, got "${email}"`);
  }
  const alarmPhoneNumbers = [...(settings.alarmPhoneNumbers ?? [])];
  for (const phone of alarmPhoneNumbers) {
    if (!E164.test(phone)) {
      throw new Error(`vetrina settings alarmPhoneNumbers: expected E.164 such as +491701234567, got "${phone}"`);
    }
  }

  const domainNames = [...(settings.domainNames ?? [])];
  if (domainNames.length > 0 && !settings.certificateArn) {
    throw new Error(`vetrina settings certificateArn: required with domainNames [${domainNames.join(', ')}]`);
  }
  if (settings.certificateArn && !CERT_ARN.test(settings.certificateArn)) {
    throw new Error(
      `vetrina settings certificateArn: expected an ACM certificate ARN in us-east-1, got "${settings.certificateArn}"`,
    );
  }
  for (const [field, name] of [
    ['exchangeBucketName', settings.exchangeBucketName],
    ['renditionsBucketName', settings.renditionsBucketName],
  ] as const) {
    if (name !== undefined && !BUCKET.test(name)) {
      throw new Error(`vetrina settings ${field}: expected an S3 bucket name (3–63 of a-z 0-9 . -), got "${name}"`);
    }
  }
  if (settings.webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(settings.webAclArn)) {
    throw new Error(
      `vetrina settings webAclArn: expected a global (CLOUDFRONT) WAFv2 web ACL ARN, got "${settings.webAclArn}"`,
    );
  }
  if (settings.invalidation !== undefined && !['tag', 'path', 'off'].includes(settings.invalidation)) {
    throw new Error(`vetrina settings invalidation: expected tag, path or off, got "${settings.invalidation}"`);
  }
  const auditSchedule = settings.auditSchedule ?? 'cron(30 3 * * ? *)';
  if (!/^(cron|rate)\(.+\)$/.test(auditSchedule)) {
    throw new Error(`vetrina settings auditSchedule: expected cron(...) or rate(...), got "${auditSchedule}"`);
  }

  return Object.freeze({
    bundlesDir: settings.bundlesDir,
    edgeConfig,
    alarmEmails,
    alarmPhoneNumbers,
    priceClass: settings.priceClass ?? PriceClass.PRICE_CLASS_100,
    domainNames,
    certificateArn: settings.certificateArn,
    webAclArn: settings.webAclArn,
    invalidation: settings.invalidation ?? 'tag',
    exchangeBucketName: settings.exchangeBucketName,
    renditionsBucketName: settings.renditionsBucketName,
    s3EventConcurrency: integerIn('s3EventConcurrency', settings.s3EventConcurrency ?? 10, 2, 100),
    s3EventMemoryMb: integerIn('s3EventMemoryMb', settings.s3EventMemoryMb ?? 2048, 512, 10_240),
    originResponseMemoryMb: integerIn('originResponseMemoryMb', settings.originResponseMemoryMb ?? 1536, 128, 10_240),
    backfillConcurrency: integerIn('backfillConcurrency', settings.backfillConcurrency ?? 40, 1, 1000),
    backfillBatchSize: integerIn('backfillBatchSize', settings.backfillBatchSize ?? 25, 1, 500),
    backfillToleratedFailurePercent: integerIn(
      'backfillToleratedFailurePercent',
      settings.backfillToleratedFailurePercent ?? 1,
      0,
      100,
    ),
    auditSchedule,
    logRetentionDays: retentionDays(settings.logRetentionDays ?? 30),
    cloudFrontAdditionalMetrics: settings.cloudFrontAdditionalMetrics ?? true,
  });
}
