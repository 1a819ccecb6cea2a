import type { BrokerPrincipal } from '../../libraries/config/broker-principals';
import { brokerUserName } from '../../libraries/config/broker-principals';
import type { Config } from '../../libraries/config/env';
import type { ServiceName } from '../../libraries/config/services';
import type { IsolatedSystem } from '../harness/isolated-launch';
import type { ManagedProcess } from '../launcher/managed-process';
import { urlAs } from '../toolchain/broker-users';

/** An exit no one asked for: a process that died on its own while the faults ran. */
export interface Crash {
  process: string;
  at: string;
  reason: string;
}

/**
 * The system under test as the fault matrix sees it: its processes (to kill
 * and restart as an operator would), its Temporal server, and the logins
 * the setup made for it.
 */
export class ChaosSystem {
  constructor(
    private readonly isolated: IsolatedSystem,
    /** The launcher's own configuration: PG_URL is the superuser's, AMQP_URL the setup's (guest on the run's vhost). */
    readonly admin: Config,
  ) {}

  get config(): Config {
    return this.isolated.config;
  }

  get temporal() {
    return this.isolated.temporal;
  }

  get processes(): readonly ManagedProcess[] {
    return this.isolated.system.processes;
  }

  process(name: string): ManagedProcess {
    return this.isolated.system.process(name);
  }

  get gatewayUrl(): string {
    return this.process('gateway').spec.url;
  }

  /** The instance ids each service runs. */
  instancesOf = (service: ServiceName): string[] =>
    this.processes.filter((managed) => managed.spec.name.startsWith(`${service}-`)).map((managed) => managed.spec.env.INSTANCE_ID!);

  /** The URL on which a principal of this run logs in to the broker (to publish as the catalog's sender). */
  brokerUrlOf(principal: BrokerPrincipal): string {
    const user = brokerUserName(this.config.AMQP_USER_PREFIX, principal);
    const password = this.isolated.passwords.get(user);
    if (password === undefined) throw new Error(`no password for broker user ${user}`);
    return urlAs(this.config.AMQP_URL, { user, password });
  }

  /** SIGKILLs a process, as a crash would, and starts it again after `downMs`, as its supervisor would. */
  async killAndRestart(name: string, downMs: number): Promise<void> {
    const managed = this.process(name);
    await managed.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, downMs));
    managed.start();
  }

  /** Every process answers /ready. */
  async ready(): Promise<boolean> {
    const answers = await Promise.all(
      this.processes.map(async (managed) => {
        try {
          const response = await fetch(`${managed.spec.url}/ready`, { signal: AbortSignal.timeout(2000) });
          // Read to the end, or undici keeps the connection until the body is collected.
          await response.arrayBuffer();
          return response.ok;
        } catch {
          return false;
        }
      }),
    );
    return answers.every(Boolean);
  }

  crashes(): Crash[] {
    return this.processes.flatMap((managed) =>
      managed.unexpectedExits.map((exit) => ({ process: managed.spec.name, at: exit.at.toISOString(), reason: exit.reason })),
    );
  }
}
