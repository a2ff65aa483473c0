/**
 * The source of the viewer-request CloudFront Function (runtime cloudfront-js-2.0). The build
 * bundles it into one script: `var crypto = require('crypto'); var vetrinaHandle;`, this code
 * (which sets `vetrinaHandle`), and a top-level `function handler(event)` that calls it. The
 * edge configuration (presets, signing keys, policy) is baked in from the same deployment file
 * as the origin-response bundle, because CloudFront Functions have no environment.
 *
 * Why a CloudFront Function rather than a Lambda@Edge viewer trigger: it runs on every request,
 * costs about a sixth, starts in under a millisecond and needs no sharp; the parser, Accept
 * negotiation and HMAC check fit in its 10 KB with `crypto.createHmac`, which it offers.
 */
import { createViewerRequestHandler } from '../handlers/viewer-request.js';
import { viewerConfig } from './viewer-config.js';

declare global {
  /** Declared by the bundle's first line, so the top-level `handler` can reach it. */
  var vetrinaHandle: ReturnType<typeof createViewerRequestHandler>;
}

vetrinaHandle = createViewerRequestHandler(viewerConfig);
