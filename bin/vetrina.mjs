#!/usr/bin/env node
// The `vetrina` command. Runs the compiled CLI from dist/ (built by `npm ci` through the
// package's prepare script).
import { main } from '../dist/edge/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
