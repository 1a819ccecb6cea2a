import type { ChaosSystem } from './system';

/** A message meant for the DLQs: its id and where it was published. */
export interface SentPoison {
  messageId: string;
  exchange: string;
  routingKey: string;
}

export interface ScenarioContext {
  system: ChaosSystem;
  /** How long a short fault lasts (a process down, the broker stopped), and the long outage (PostgreSQL away past every retry budget). */
  timing: { outageMs: number; longOutageMs: number };
  log: (line: string) => void;
  /** Messages the scenario sent on purpose to be dead-lettered: the DLQ of every queue they reached must hold each once, and the DLQs nothing else. */
  expectDeadLetters(messages: readonly SentPoison[]): void;
}

/**
 * One fault of the matrix: inject() causes it and repairs it as an operator
 * or a supervisor would (restarts what it killed, brings back what it
 * stopped) and resolves once the repair is done; recovery is measured after.
 */
export interface Scenario {
  name: string;
  summary: string;
  /**
   * Touches only the run's own processes, vhost, databases and Temporal
   * server, so it may run beside other work on the machine (the short run
   * in npm test). The others stop the shared RabbitMQ or PostgreSQL.
   */
  contained: boolean;
  /** Why it cannot run here, if it cannot (a missing tool): the run reports it as skipped, never silently. */
  unavailable?(): Promise<string | undefined>;
  inject(context: ScenarioContext): Promise<void>;
}
