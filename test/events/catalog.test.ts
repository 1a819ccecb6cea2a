import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, createEvent, eventTypes, parseEvent, validateEvent } from '../../libraries/events/catalog';
import { EventValidationError, isPermanentError } from '../../libraries/events/errors';

const patient = {
  patientId: '0b7a3c1e-2f6d-4e8a-9b1c-3d5e7f9a1b2c',
  name: 'Ana Lima',
  email: 'ana@example.org',
  birthDate: '1990-04-01',
  phone: null,
  status: 'ACTIVE' as const,
  version: 1,
  createdAt: '2025-10-15T14:23:00Z',
  updatedAt: '2025-10-15T14:23:00Z',
};

function validationReason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    expect(isPermanentError(error)).toBe(true);
    return (error as EventValidationError).reason;
  }
  throw new Error('expected a validation error');
}

/** The rows of docs/design.md §2.3's table: eventType → "exchange routing-key". */
function documentedEvents(): Record<string, string> {
  const design = readFileSync(new URL('../../docs/design.md', import.meta.url), 'utf8');
  const section = design.slice(design.indexOf('### §2.3 The events'), design.indexOf('## §3 '));
  const rows = section.split('\n').filter((line) => /^\| [A-Z]\w+ +\|/.test(line));
  return Object.fromEntries(
    rows.map((line) => {
      const [type, exchange, routingKey] = line
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim());
      return [type!, `${exchange} ${routingKey}`];
    }),
  );
}

describe('event catalog', () => {
  it('holds every event of docs/design.md §2.3, with its exchange and routing key, and no other', () => {
    const routes = Object.fromEntries(eventTypes.map((type) => [type, `${catalog[type].exchange} ${catalog[type].routingKey}`]));
    expect(documentedEvents()).toEqual(routes);
  });

  it('builds an envelope and reads it back unchanged', () => {
    const event = createEvent('PatientRegistered', patient, { sourceService: 'patient-service' });
    expect(event).toMatchObject({ eventType: 'PatientRegistered', sourceService: 'patient-service', payload: patient });
    expect(parseEvent(Buffer.from(JSON.stringify(event)))).toEqual(event);
  });

  it('keeps a given event id, so a retried publish is the same event', () => {
    const eventId = '5f0c6f2e-8d1a-4c3b-9e2f-1a2b3c4d5e6f';
    expect(createEvent('PatientRegistered', patient, { sourceService: 'patient-service', eventId }).eventId).toBe(eventId);
  });

  it('refuses what does not match, each with its own permanent reason', () => {
    const valid = createEvent('PatientRegistered', patient, { sourceService: 'patient-service' });
    expect(validationReason(() => parseEvent('{not json'))).toBe('malformed-json');
    expect(validationReason(() => validateEvent({ ...valid, eventId: 'nope' }))).toBe('invalid-envelope');
    expect(validationReason(() => validateEvent({ ...valid, eventType: 'PatientTeleported' }))).toBe('unknown-event-type');
    expect(validationReason(() => validateEvent({ ...valid, payload: { ...patient, email: 'not-an-email' } }))).toBe('invalid-payload');
    expect(() => createEvent('PatientRegistered', { ...patient, version: 0 }, { sourceService: 'patient-service' })).toThrow(/version/);
  });
});
