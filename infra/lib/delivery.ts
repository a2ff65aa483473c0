/**
 * The request path: viewer-request CloudFront Function (URL parsing, signature check, rewrite to
 * the canonical URI) → cache → renditions bucket through Origin Access Control → origin-response
 * Lambda@Edge (makes a missing rendition on the spot).
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  type CfnDistribution,
  Function as CloudFrontFunction,
  Distribution,
  experimental,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  KeyValueStore,
  LambdaEdgeEventType,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  type PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { OPERATIONS_PREFIXES } from './storage.js';

/** Response header CloudFront reads cache tags from: S3 returns the `cache-tag` metadata under it. */
export const CACHE_TAG_HEADER = 'x-amz-meta-cache-tag';
/** Request header the viewer function sets to the public path + query (SPEC.md §10, large renditions). */
export const PUBLIC_URI_HEADER = 'x-vetrina-public-uri';
/** Longest time CloudFront keeps an ORIGINAL_NOT_FOUND answer, matching its `max-age=10`. */
export const NOT_FOUND_CACHE_SECONDS = 10;
/** Timeout of the origin-response Lambda@Edge; CloudFront allows at most 30 s for origin triggers. */
export const ORIGIN_RESPONSE_TIMEOUT_SECONDS = 30;

/** Wiring of the request path. */
export interface DeliveryProps {
  readonly renditions: Bucket;
  /** Plain bucket names (the edge role lives in us-east-1 and cannot reference the main stack). */
  readonly exchangeBucketName: string;
  readonly renditionsBucketName: string;
  readonly operations: Bucket;
  readonly viewerRequestCode: string;
  /** Origin-response asset directory, already holding `vetrina-edge.json`. */
  readonly originResponseDir: string;
  readonly originResponseMemoryMb: number;
  readonly priceClass: PriceClass;
  readonly domainNames: readonly string[];
  readonly certificateArn: string | undefined;
  readonly webAclArn: string | undefined;
  readonly additionalMetrics: boolean;
}

/** KeyValueStore, viewer function, Lambda@Edge, policies and the distribution. */
export class Delivery extends Construct {
  readonly signingKeys: KeyValueStore;
  readonly viewerRequest: CloudFrontFunction;
  readonly originResponse: experimental.EdgeFunction;
  readonly distribution: Distribution;
  /** The origin-response asset directory (with `vetrina-edge.json`). */
  readonly originResponseDir: string;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.originResponseDir = props.originResponseDir;

    this.signingKeys = new KeyValueStore(this, 'SigningKeys', {
      comment: 'vetrina HMAC key ring: key "signing-keys" = {"keyId":"secret"}',
    });
    // The function reads the store with cf.kvs() (its only association), so the code holds no id.
    this.viewerRequest = new CloudFrontFunction(this, 'ViewerRequest', {
      code: FunctionCode.fromInline(props.viewerRequestCode),
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.signingKeys,
      comment: 'vetrina: parse, verify and rewrite to the canonical rendition URI',
    });

    // Lambda@Edge: us-east-1 only, x86_64 only, no environment (config is in the asset).
    this.originResponse = new experimental.EdgeFunction(this, 'OriginResponse', {
      stackId: `${stack.node.id}-Edge`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: Code.fromAsset(props.originResponseDir),
      memorySize: props.originResponseMemoryMb,
      timeout: Duration.seconds(ORIGIN_RESPONSE_TIMEOUT_SECONDS),
      description: 'vetrina: make a missing rendition on the first request',
    });
    const s3Arn = (bucket: string, suffix = '') => `arn:${Aws.PARTITION}:s3:::${bucket}${suffix}`;
    this.originResponse.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [s3Arn(props.exchangeBucketName, '/*')] }),
    );
    this.originResponse.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [s3Arn(props.renditionsBucketName, '/*')],
      }),
    );

    // The cache key is the canonical URI plus `v`: the viewer function has already folded Accept,
    // the device class and the spec into the URI, so no header or cookie may split the cache (CASES 26).
    const cachePolicy = new CachePolicy(this, 'RenditionCache', {
      comment: 'vetrina: canonical URI + v only',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(365),
      maxTtl: Duration.days(365),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.allowList('v'),
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
    });
    // Forwarded to the origin but not in the cache key: the public URI for the 302 of large
    // renditions, and CloudFront's device header, which only exists when a policy names it.
    const originRequestPolicy = new OriginRequestPolicy(this, 'OriginRequest', {
      comment: 'vetrina: public URI and device class for the origin-response handler',
      headerBehavior: OriginRequestHeaderBehavior.allowList(PUBLIC_URI_HEADER, 'CloudFront-Is-Mobile-Viewer'),
      cookieBehavior: OriginRequestCookieBehavior.none(),
      queryStringBehavior: OriginRequestQueryStringBehavior.none(),
    });
    // Cache-Control comes from each object (year-long for renditions, short or no-store for
    // errors); a policy-level Cache-Control would also land on CloudFront's own error pages.
    const responseHeadersPolicy = new ResponseHeadersPolicy(this, 'ResponseHeaders', {
      comment: 'vetrina: nosniff and HSTS; no CORS (images load without it)',
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: false, override: false },
      },
    });

    const certificate = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'vetrina image delivery',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(props.renditions),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        originRequestPolicy,
        responseHeadersPolicy,
        compress: false,
        functionAssociations: [{ function: this.viewerRequest, eventType: FunctionEventType.VIEWER_REQUEST }],
        edgeLambdas: [
          { functionVersion: this.originResponse.currentVersion, eventType: LambdaEdgeEventType.ORIGIN_RESPONSE },
        ],
      },
      // Errors are cached briefly at most: a missing original for 10 s (absorbs a burst), anything
      // else not at all, so a fixed problem is visible at once (CASES 29).
      errorResponses: [400, 403, 404, 405, 414, 500, 502, 503, 504].map((httpStatus) => ({
        httpStatus,
        ttl: Duration.seconds(httpStatus === 404 ? NOT_FOUND_CACHE_SECONDS : 0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass,
      domainNames: props.domainNames.length > 0 ? [...props.domainNames] : undefined,
      certificate,
      minimumProtocolVersion: certificate ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      enableLogging: true,
      logBucket: props.operations,
      logFilePrefix: OPERATIONS_PREFIXES.cloudFrontLogs,
      publishAdditionalMetrics: props.additionalMetrics,
      webAclId: props.webAclArn,
    });

    // Tag invalidation: CloudFront stores the rendition's cache tag with the cached object, so the
    // S3-event handler invalidates every rendition of an original with one `#tag` path.
    const cfn = this.distribution.node.defaultChild as CfnDistribution;
    cfn.addPropertyOverride('DistributionConfig.CacheTagConfig', { HeaderName: CACHE_TAG_HEADER });
  }
}
