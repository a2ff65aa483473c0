/**
 * Runs the CLI from source (`npx tsx edge/src/cli/bin.ts ...`), as `bin/vetrina.mjs` runs
 * the compiled one.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
