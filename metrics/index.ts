// The metrics library: one registry per process, and what counts into it.
export { createMetrics, type Metrics } from './registry';
export { httpMetrics } from './http';
