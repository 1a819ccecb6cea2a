/**
 * A queue's subscription: one event of the catalog (its exchange and routing
 * key), or a pattern on an exchange for a family of events. Event names are
 * checked against the catalog where bindings are made (libraries/messaging/topology.ts):
 * the catalog's types depend on this registry, so it cannot name them here.
 */
export type Subscription<E extends string = string, X extends string = string> = { event: E } | { exchange: X; pattern: string };

/** Who a service is, in every place that has to know: declared once here, derived everywhere else. */
export interface ServiceIdentity<E extends string = string, X extends string = string> {
  /** `sourceService` of its events and `appId` of its messages; the prefix of its queues (`<source>.saga`, `<source>.<instance>.events`). */
  source: string;
  /** The durable topic exchange it publishes its events on, and that the catalog's events of its domain name; none for a service that only listens (reporting). */
  exchange?: string;
  /** instance-N listens on basePort + N (docs/api.md §1). */
  basePort: number;
  /** The first segment of the public paths the gateway sends to it (docs/api.md §12). */
  gatewayPaths: readonly string[];
  /**
   * Its saga queue: work done once per service (competing consumers). A
   * service without a saga participant still has one when another process
   * consumes it on the service's behalf (scheduling's, consumed by the bridge).
   */
  saga: readonly Subscription<E, X>[];
  /** What each instance's read model hears, on `<source>.<instance>.events`. */
  readModel: readonly Subscription<E, X>[];
  /** Bindings of those queues that an earlier release declared and this one no longer wants: the setup removes them. */
  retiredReadModel?: readonly Subscription<E, X>[];
  /** The process that consumes its saga queue when not the service itself (scheduling's replies: the bridge). */
  sagaConsumedBy?: 'bridge';
  /** It keeps an access audit of the health data it serves (GET /audit; the gateway merges them). */
  audited?: boolean;
  /** It talks to Temporal (starts sagas): it waits for Temporal's namespace before it starts in the compose stack. */
  usesTemporal?: boolean;
}

/**
 * HAP's services. From this table come the envelope's source names, the
 * queues and their bindings, database names (`<DB_PREFIX>_<name>`,
 * `<DB_PREFIX>_<name>_read_<instance>`), ports, the gateway's routes and its
 * GATEWAY_<NAME>_URLS settings, and the launcher's processes (entry point
 * `services/<name>/main.ts`). Adding a service means an entry here and its
 * folder under services/.
 *
 * Entity events have two-word routing keys and saga replies three, so
 * `patient.*` hears entity events only.
 */
export const serviceRegistry = {
  patients: {
    source: 'patient-service',
    exchange: 'hap.patients',
    basePort: 3100,
    gatewayPaths: ['patients'],
    audited: true,
    saga: [{ event: 'ConsultationSchedulingStarted' }],
    // ConsultationScheduled: which physicians may read which patient (docs/api.md §13).
    readModel: [{ exchange: 'hap.patients', pattern: 'patient.*' }, { event: 'ConsultationScheduled' }],
  },
  physicians: {
    source: 'physician-service',
    exchange: 'hap.physicians',
    basePort: 3200,
    gatewayPaths: ['physicians'],
    saga: [{ event: 'ConsultationSchedulingStarted' }, { event: 'ConsultationScheduled' }, { event: 'ConsultationCancelled' }],
    readModel: [{ exchange: 'hap.physicians', pattern: 'physician.*' }],
  },
  scheduling: {
    source: 'scheduling-service',
    exchange: 'hap.consultations',
    basePort: 3300,
    gatewayPaths: ['consultations'],
    usesTemporal: true,
    sagaConsumedBy: 'bridge',
    // The saga replies, consumed by the bridge and signalled to the waiting workflow.
    saga: [
      { exchange: 'hap.patients', pattern: 'patient.validation.*' },
      { exchange: 'hap.physicians', pattern: 'physician.availability.*' },
      { event: 'ConsultationRecordsVoided' },
    ],
    readModel: [
      { exchange: 'hap.consultations', pattern: 'consultation.#' },
      { exchange: 'hap.patients', pattern: 'patient.*' },
      { exchange: 'hap.physicians', pattern: 'physician.*' },
    ],
  },
  records: {
    source: 'clinical-records',
    exchange: 'hap.records',
    basePort: 3400,
    gatewayPaths: ['records'],
    audited: true,
    saga: [
      { event: 'ConsultationScheduled' },
      { event: 'ConsultationDone' },
      { event: 'ConsultationCancellationRequested' },
      { event: 'ConsultationCancelled' },
    ],
    // A consultation from SCHEDULED on: before it, no record can exist (the booking's PENDING is scheduling's business).
    readModel: [
      { exchange: 'hap.records', pattern: 'record.*' },
      { event: 'ConsultationScheduled' },
      { event: 'ConsultationUpdated' },
      { event: 'ConsultationDone' },
      { event: 'ConsultationCancellationRequested' },
      { event: 'ConsultationCancelled' },
    ],
    retiredReadModel: [{ exchange: 'hap.consultations', pattern: 'consultation.#' }],
  },
  // Listens only: aggregates for staff from the events of the others, published on no exchange of its own.
  reporting: {
    source: 'reporting-service',
    basePort: 3500,
    gatewayPaths: ['reports'],
    saga: [],
    readModel: [
      { exchange: 'hap.consultations', pattern: 'consultation.#' },
      { exchange: 'hap.physicians', pattern: 'physician.*' },
      { exchange: 'hap.records', pattern: 'record.*' },
    ],
  },
} as const satisfies Record<string, ServiceIdentity>;

export type ServiceName = keyof typeof serviceRegistry;
export type SourceService = (typeof serviceRegistry)[ServiceName]['source'];

export const serviceNames = Object.keys(serviceRegistry) as ServiceName[];

/** The services that publish events, each on an exchange of its own. */
export type PublishingService = { [K in ServiceName]: (typeof serviceRegistry)[K] extends { exchange: string } ? K : never }[ServiceName];

/** Every publishing service's exchange: the topic exchanges HAP declares. */
export type Exchange = (typeof serviceRegistry)[PublishingService]['exchange'];
export const exchanges = serviceNames.flatMap((name) => {
  const { exchange } = serviceRegistry[name] as ServiceIdentity<string, Exchange>;
  return exchange ? [exchange] : [];
});

/** The source names in registry order: the envelope's `sourceService` values. */
export const sourceServices = serviceNames.map((name) => serviceRegistry[name].source) as [SourceService, ...SourceService[]];

/** The service a source name stands for. */
export function serviceOfSource(source: SourceService): ServiceName {
  return serviceNames.find((name) => serviceRegistry[name].source === source)!;
}

/** The gateway's setting that lists a service's instances: GATEWAY_PATIENTS_URLS, … */
export type GatewayUrlsKey = `GATEWAY_${Uppercase<ServiceName>}_URLS`;
export const gatewayUrlsKey = (name: ServiceName) => `GATEWAY_${name.toUpperCase()}_URLS` as GatewayUrlsKey;

/** The services that keep an access audit. */
export const auditedServices = serviceNames.filter((name) => (serviceRegistry[name] as ServiceIdentity).audited === true);

/** Where a service's entry point is, for the launcher and the compose stack. */
export const serviceEntry = (name: ServiceName) => `services/${name}/main.ts`;

/** The ports of the processes that are not services (docs/api.md §1). */
export const processPorts = { gateway: 3000, bridge: 3010, worker: 3020 } as const;
export type HapProcess = ServiceName | keyof typeof processPorts;

/** How many instances of each service `npm start` and the compose stack run. */
export const defaultInstances = 2;

/** A process's port unless PORT says otherwise: its own, or its service's base port plus the instance number. */
export function defaultPort(process: HapProcess, instance: number): number {
  return process in processPorts
    ? processPorts[process as keyof typeof processPorts]
    : serviceRegistry[process as ServiceName].basePort + instance;
}

/** instance-2 → 2. */
export function instanceNumber(instanceId: string): number {
  return Number(/(\d+)$/.exec(instanceId)?.[1] ?? 1);
}
