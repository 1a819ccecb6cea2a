import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers log every state change at INFO; tests want only what went wrong.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process by an earlier test file.
}
