// The runner program's entry point (bundled as runner.cjs for the app's utility process).
import { RUNNER_EXIT } from '../common/runner-api';
import { main } from './cli';
import { IdentityError } from './identity';

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof IdentityError) {
    process.stderr.write(`paddock-runner: ${error.message}\n`);
    process.exit(RUNNER_EXIT.dataDir);
  }
  process.stderr.write(`paddock-runner: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
