/**
 * The edge configuration of the viewer-request function, resolved from the baked deployment
 * file. The build evaluates this module once and bakes the resolved object as a literal, so
 * the shipped function carries no config validation code (CloudFront Functions allow 10 KB).
 * The literal leaves out `signing.keys`: the function reads its key ring from the KeyValueStore.
 */
import { type EdgeConfig, resolveConfig } from '../config.js';
import type { EdgeDeployment } from './deployment.js';
import baked from './edge-deployment.json' with { type: 'json' };

/** The resolved, frozen configuration. */
export const viewerConfig: EdgeConfig = resolveConfig((baked as EdgeDeployment).edge ?? {});
