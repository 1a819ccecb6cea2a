// An instance's dead-letter API (GET /admin/dlq…).
export { deadLetterRoutes, type DeadLetterApp } from './routes';
