/**
 * What scheduling publishes to the rest of HAP: its consultation write
 * model, which the saga worker's activities move (docs/design.md §4). Its
 * entry point is main.ts; everything else in this folder is its own.
 */
export * from './consultations';
/** How to start and read its sagas, for tools that drive them directly (the bench). */
export { sagaClient, type SagaClient } from './saga-client';
