// The metrics library: one registry per process, and the series HAP counts into it.
export { createMetrics, type Metrics } from './registry';
export { exposeSdkMetrics, type SdkMetricsSource } from './temporal-sdk';
