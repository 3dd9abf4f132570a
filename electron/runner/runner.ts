// The runner program's entry point (bundled as runner.cjs for the app's utility process).
import { main } from './cli';

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`paddock-runner: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
