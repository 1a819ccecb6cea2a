import { createHash } from 'node:crypto';

// A fixed namespace for HAP consultation ids derived from Idempotency-Key headers.
const namespace = Buffer.from('6f1c2e4a9b3d4c7e8a5f0b1d2c3e4f5a', 'hex');

/**
 * The consultation id a given Idempotency-Key stands for (a name-based UUID,
 * RFC 9562 version 5): the same key always names the same consultation, and so
 * the same saga, which Temporal refuses to start twice.
 */
export function consultationIdForKey(key: string): string {
  const hash = createHash('sha1').update(namespace).update(key, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What must match for a retried POST to count as the same request: the booking itself. */
export function bookingFingerprint(booking: {
  patientId: string;
  physicianId: string;
  startsAt: string;
  durationMinutes: number;
  reason: string | null;
}): string {
  const canonical = JSON.stringify([
    booking.patientId,
    booking.physicianId,
    new Date(booking.startsAt).toISOString(),
    booking.durationMinutes,
    booking.reason,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
