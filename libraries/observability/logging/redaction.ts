/**
 * Fields that hold health data or a person's details, wherever they appear
 * in what is logged: a log line keeps ids, statuses and codes, never these.
 * The names are the catalog's and the API's (docs/api.md). A consultation's
 * free-text `reason` travels inside payloads and bodies (redacted whole);
 * a log line's own `reason` is an operator's code (a DLQ reason), so it stays.
 */
export const personalFields: ReadonlySet<string> = new Set([
  'name',
  'email',
  'phone',
  'birthDate',
  'patientName',
  'physicianName',
  'licenseNumber',
  'diagnosis',
  'notes',
  'prescriptions',
  'body',
  'payload',
]);

export const redacted = '[redacted]';

/**
 * A copy of `value` with every personal field's value replaced, at any depth
 * (objects in arrays included). Deeper than `depth` levels it stops and says so,
 * so a cyclic or huge structure cannot stall a log line.
 */
export function redactPersonal(value: unknown, depth = 6): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth === 0) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactPersonal(item, depth - 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, personalFields.has(key) ? redacted : redactPersonal(field, depth - 1)]),
  );
}
