/** Runs the `vetrina` CLI from source, for the benchmark (the installed bin runs it from dist/). */
import { main } from '../edge/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
