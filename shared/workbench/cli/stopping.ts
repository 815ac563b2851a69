import { performance } from 'node:perf_hooks';
import type { LocalRuntime } from '../local/local-runtime.ts';
import type { PendingWork } from '../local/pending-work.ts';
import { describeInFlight, describePending, isEmpty } from '../local/pending-work.ts';

/** How often a stop that waits says what it is still waiting for. */
const REMINDER_MS = 5000;

export interface Stopping {
  /** Resolves once the first Ctrl+C (or SIGTERM) has stopped the runtime taking work and what was in flight has finished. */
  readonly stopped: Promise<void>;
  /** Whether a Ctrl+C came. */
  readonly requested: boolean;
  /** Stops listening for the signals. */
  dispose(): void;
}

/** `resuming what was left pending: thumbnails 116 object(s), ...`, or nothing when nothing was. */
export function resumingLine(runtime: LocalRuntime): string | undefined {
  return isEmpty(runtime.resumed) ? undefined : `resuming what was left pending: ${describePending(runtime.resumed)}`;
}

/** What stays for the next start, said once the runtime has stopped. */
export function leftPendingLine(left: PendingWork, data: string): string {
  return isEmpty(left) ? 'stopped: nothing left pending' : `stopped: left pending for the next start: ${describePending(left)}; \`sluice run\` or \`sluice dev\` with --data ${data} resumes it`;
}

/**
 * Ctrl+C while the runtime works. The first stops it taking work, says what is in flight (and,
 * every few seconds, what it is still waiting for) and that the rest stays pending; the second
 * exits at once, saying what is left pending, which the next start delivers again (as after a
 * crash: nothing is lost, an invocation cut short runs again).
 */
export function handleStopping(runtime: LocalRuntime, data: string, log: (line: string) => void = (line) => console.log(line)): Stopping {
  let requested = false;
  let resolveStopped: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let reminder: NodeJS.Timeout | undefined;

  const first = () => {
    process.removeListener('SIGINT', first);
    process.removeListener('SIGTERM', first);
    requested = true;
    const running = runtime.inFlight();
    const waiting = running.length ? `waiting for ${running.length} invocation(s) in flight: ${describeInFlight(running, performance.now())}` : 'nothing in flight';
    log(`stopping: ${waiting}; what is queued stays pending for the next start (Ctrl+C again to stop now)`);
    reminder = setInterval(() => {
      const still = runtime.inFlight();
      if (still.length) log(`stopping: still waiting for ${describeInFlight(still, performance.now())} (Ctrl+C again to stop now)`);
    }, REMINDER_MS);
    reminder.unref();
    void runtime.stop().then(() => {
      clearInterval(reminder);
      resolveStopped();
    });
    process.once('SIGINT', second);
    process.once('SIGTERM', second);
  };

  const second = () => {
    clearInterval(reminder);
    const running = runtime.inFlight();
    const cut = running.length ? ` for ${describeInFlight(running, performance.now())}` : '';
    const left = runtime.pending();
    log(`stopped without waiting${cut}: ${isEmpty(left) ? 'nothing' : describePending(left)} left pending; \`sluice run\` or \`sluice dev\` with --data ${data} delivers it again`);
    process.exit(130);
  };

  process.once('SIGINT', first);
  process.once('SIGTERM', first);
  return {
    stopped,
    get requested() {
      return requested;
    },
    dispose() {
      clearInterval(reminder);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.removeListener(signal, first);
        process.removeListener(signal, second);
      }
    },
  };
}
