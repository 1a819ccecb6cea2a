import { rabbitmqctl } from '../../toolchain/rabbitmqctl';
import { vhostOf } from '../../toolchain/broker-users';
import type { Scenario } from '../scenario';

/** The whole broker node stops (stop_app) and starts again: every connection on the machine goes. */
export const rabbitmqRestart: Scenario = {
  name: 'rabbitmq-restart',
  summary: 'RabbitMQ stopped (rabbitmqctl stop_app) and started again',
  contained: false,
  inject: async ({ timing, log }) => {
    log(`rabbitmqctl stop_app; start_app in ${timing.outageMs / 1000} s`);
    await rabbitmqctl('stop_app');
    try {
      await new Promise((resolve) => setTimeout(resolve, timing.outageMs));
    } finally {
      await rabbitmqctl('start_app');
      await rabbitmqctl('await_startup');
    }
  },
};

/** Every connection of the run's vhost closed by the broker at once (an operator's close_all_connections). */
export const rabbitmqConnectionKill: Scenario = {
  name: 'rabbitmq-connection-kill',
  summary: "every connection of the run's vhost closed by the broker (close_all_connections)",
  contained: true,
  inject: async ({ system, log }) => {
    const vhost = vhostOf(system.config.AMQP_URL);
    log(`rabbitmqctl close_all_connections --vhost ${vhost}`);
    await rabbitmqctl('close_all_connections', '--vhost', vhost, '--limit', '1000', 'chaos: connection kill');
  },
};
