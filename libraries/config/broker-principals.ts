import { serviceNames, type ServiceName } from './services';

/**
 * Who logs in to RabbitMQ: one user per service and per process kind that is
 * not a service (the saga worker, the bridge), each with the narrow rights of
 * libraries/messaging/permissions.ts. The setup user, who declares the topology at
 * start, is none of these: no HAP process runs as it.
 */
export const brokerPrincipals = [...serviceNames, 'worker', 'bridge'] as const satisfies readonly (ServiceName | string)[];
export type BrokerPrincipal = (typeof brokerPrincipals)[number];

/** `hap-patients`, `hap-worker`, `hap-setup`: AMQP_USER_PREFIX and the principal. */
export const brokerUserName = (prefix: string, principal: BrokerPrincipal | 'setup') => `${prefix}-${principal}`;
