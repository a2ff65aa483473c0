/**
 * The AWS event shapes the handlers read and return, written from the AWS documentation
 * (only the fields vetrina uses are required; everything else AWS sends is allowed through).
 *
 * - Lambda@Edge event structure:
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html
 * - Generated responses and `bodyEncoding`:
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-generating-http-responses.html
 * - S3 event notification records (schema 2.1):
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */

/**
 * Lambda@Edge headers: lower-case name → list of `{ key, value }`, `key` carrying the
 * original casing.
 */
export type CloudFrontHeaders = Record<string, Array<{ key?: string; value: string }>>;

/** `Records[0].cf.config` of a Lambda@Edge event. */
export interface CloudFrontEventConfig {
  readonly distributionDomainName?: string;
  readonly distributionId?: string;
  readonly eventType: string;
  readonly requestId: string;
}

/** The request as CloudFront sent it to the origin. */
export interface CloudFrontRequest {
  readonly clientIp?: string;
  readonly headers: CloudFrontHeaders;
  readonly method: string;
  /** Without the leading `?`; empty when there is none. */
  readonly querystring: string;
  /** Percent-encoded path, starting with `/`. */
  readonly uri: string;
  /** The origin CloudFront used; documented for origin-request events, so treat it as optional. */
  readonly origin?: {
    readonly s3?: { readonly domainName: string; readonly path?: string; readonly authMethod?: string };
    readonly custom?: { readonly domainName: string; readonly path?: string };
  };
}

/** The origin's response as an origin-response trigger sees it (no body). */
export interface CloudFrontResponse {
  /** The HTTP status as a string, e.g. `"404"`. */
  readonly status: string;
  readonly statusDescription?: string;
  readonly headers: CloudFrontHeaders;
}

/** The event of a Lambda@Edge origin-response trigger. */
export interface OriginResponseEvent {
  readonly Records: ReadonlyArray<{
    readonly cf: {
      readonly config: CloudFrontEventConfig;
      readonly request: CloudFrontRequest;
      readonly response: CloudFrontResponse;
    };
  }>;
}

/**
 * What an origin-response trigger returns: the origin's response untouched, or a generated
 * one. A binary body must be base64 with `bodyEncoding: 'base64'`; without the flag CloudFront
 * delivers the base64 text itself (CASES.md case 23).
 */
export interface OriginResponseResult {
  readonly status: string;
  readonly statusDescription?: string;
  readonly headers: CloudFrontHeaders;
  readonly body?: string;
  readonly bodyEncoding?: 'text' | 'base64';
}

/** One S3 event notification record. */
export interface S3EventRecord {
  readonly eventVersion?: string;
  readonly eventSource?: string;
  readonly awsRegion?: string;
  readonly eventTime?: string;
  /** E.g. `ObjectCreated:Put`, `ObjectCreated:Copy`, `ObjectRemoved:Delete`. */
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string; readonly arn?: string };
    readonly object: {
      /** Form-encoded: `+` is a space, everything else percent-encoded. */
      readonly key: string;
      /** Bytes; absent for removals. */
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      /** Orders events of one key: compare after right-padding with zeros. */
      readonly sequencer?: string;
    };
  };
}

/** An S3 event notification: one or more records. */
export interface S3Event {
  readonly Records: readonly S3EventRecord[];
}

/**
 * The partial batch response of an SQS-triggered Lambda. Here `itemIdentifier` is the index
 * of the failed record in `S3Event.Records`, as a string; adapters map it to their own ids.
 */
export interface S3EventResult {
  readonly batchItemFailures: Array<{ readonly itemIdentifier: string }>;
}
