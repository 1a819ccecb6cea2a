/** The operators' paths every service instance serves beside its own (libraries/runtime/dead-letters, libraries/runtime/read-model-routes), as OpenAPI lists them. */
export const instanceAdminPaths = [
  '/admin/dlq',
  '/admin/dlq/{queue}',
  '/admin/dlq/{queue}/purge',
  '/admin/dlq/{queue}/replay',
  '/admin/read-model/rebuild',
] as const;
