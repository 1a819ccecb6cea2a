import { fileURLToPath } from 'node:url';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../libraries/events/catalog';
import { InvalidTransitionError } from '../../services/scheduling/consultations';
import { replySignals, sagaId, sagaStateQuery, type ReplyEventType, type SagaStep } from '../../workflows/definitions';
import { catalogEvent } from '../support/sample-events';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { fakeActivities, sampleInput } from './fake-activities';

type Input = ReturnType<typeof sampleInput>;

const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** What PostgreSQL answers a year-9999 booking, as drizzle throws it (parameters in the message). */
const pgDataError = (code: string) =>
  new DrizzleQueryError(
    'insert into "consultations" …',
    ['Ana Lima'],
    Object.assign(new Error('time zone displacement out of range: "+010000-01-01"'), { code }),
  );

describe('saga workflows (time-skipping test server, fake activities)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleWorkflowCode({
      workflowsPath,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const reply = <T extends ReplyEventType>(type: T, payload: PayloadOf<T>) => catalogEvent(type, payload);

  /** The replies of a patient and a physician who both say yes to the input's consultation. */
  const validated = (input: Input) =>
    reply('PatientValidatedForConsultation', { consultationId: input.consultationId, patientId: input.patientId, patientName: 'Ana' });
  const confirmed = (input: Input) =>
    reply('PhysicianAvailabilityConfirmed', {
      consultationId: input.consultationId,
      physicianId: input.physicianId,
      physicianName: 'Dr. Sá',
      specialty: 'cardiology',
      startsAt: input.startsAt,
      endsAt: '2030-03-04T09:30:00.000Z',
    });
  /** The replies that say no: the patient's, and the physician's (about another consultation when given its id). */
  const patientFailed = (input: Input, reason: PayloadOf<'PatientValidationFailed'>['reason']) =>
    reply('PatientValidationFailed', { consultationId: input.consultationId, patientId: input.patientId, reason });
  const physicianRejected = (
    input: Input,
    reason: PayloadOf<'PhysicianAvailabilityRejected'>['reason'],
    consultationId = input.consultationId,
  ) => reply('PhysicianAvailabilityRejected', { consultationId, physicianId: input.physicianId, reason });

  async function run<R>(fakes: ReturnType<typeof fakeActivities>, body: (taskQueue: string) => Promise<R>): Promise<R> {
    const taskQueue = `sagas-${crypto.randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: fakes.activities,
    });
    return worker.runUntil(body(taskQueue));
  }

  describe('scheduleConsultation', () => {
    const start = (taskQueue: string, input: Input) =>
      env.client.workflow.start('scheduleConsultation', { taskQueue, workflowId: sagaId('schedule', input.consultationId), args: [input] });
    /** Runs the saga with both the patient and the physician saying yes; its final state. */
    const runConfirmed = (fakes: ReturnType<typeof fakeActivities>, input: Input) =>
      run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        await handle.signal(replySignals.PatientValidatedForConsultation, validated(input));
        await handle.signal(replySignals.PhysicianAvailabilityConfirmed, confirmed(input));
        return handle.result();
      });

    it('schedules when both patient and physician confirm', async () => {
      const fakes = fakeActivities();
      const input = sampleInput();
      const state = await runConfirmed(fakes, input);
      expect(state.status).toBe('SCHEDULED');
      expect(fakes.types()).toEqual(['ConsultationSchedulingStarted', 'ConsultationScheduled']);
      expect(fakes.consultations.get(input.consultationId)?.status).toBe('SCHEDULED');
      expect(
        fakes.published.every(
          (event) => event.sagaId === sagaId('schedule', input.consultationId) && event.correlationId === input.correlationId,
        ),
      ).toBe(true);
    });

    it.each([
      ['the patient is inactive', 'PatientValidationFailed', 'PATIENT_INACTIVE'],
      ['the physician slot is taken', 'PhysicianAvailabilityRejected', 'SLOT_TAKEN'],
    ] as const)('rejects and compensates when %s', async (_case, rejectionType, reason) => {
      const fakes = fakeActivities();
      const input = sampleInput();
      const state = await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        if (rejectionType === 'PatientValidationFailed') {
          await handle.signal(replySignals.PatientValidationFailed, patientFailed(input, 'PATIENT_INACTIVE'));
          await handle.signal(replySignals.PhysicianAvailabilityConfirmed, confirmed(input));
        } else {
          await handle.signal(replySignals.PatientValidatedForConsultation, validated(input));
          await handle.signal(replySignals.PhysicianAvailabilityRejected, physicianRejected(input, 'SLOT_TAKEN'));
        }
        return handle.result();
      });
      expect(state.status).toBe('REJECTED');
      expect(fakes.consultations.get(input.consultationId)).toMatchObject({ status: 'REJECTED', statusReason: reason });
      // The compensation: ConsultationCancelled releases whatever physicians held.
      expect(fakes.types()).toEqual(['ConsultationSchedulingStarted', 'ConsultationCancelled']);
      expect(fakes.published[1]?.payload).toMatchObject({ status: 'REJECTED', statusReason: reason });
    });

    it('rejects with TIMEOUT when replies do not come in time, without waiting in real time', async () => {
      const fakes = fakeActivities();
      const input = sampleInput();
      const started = Date.now();
      const state = await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        await handle.signal(replySignals.PatientValidatedForConsultation, validated(input));
        return handle.result();
      });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(state.status).toBe('REJECTED');
      expect(fakes.consultations.get(input.consultationId)?.statusReason).toBe('TIMEOUT');
      expect(fakes.types()).toEqual(['ConsultationSchedulingStarted', 'ConsultationCancelled']);
    });

    it('is closed to a reply that comes after the deadline: the bridge gets WorkflowNotFoundError and acknowledges it', async () => {
      const fakes = fakeActivities();
      const input = sampleInput();
      await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        const state = await handle.result();
        expect(state.status).toBe('REJECTED');
        const late = handle.signal(replySignals.PhysicianAvailabilityConfirmed, confirmed(input));
        await expect(late).rejects.toBeInstanceOf(WorkflowNotFoundError);
      });
      // The compensation went out even though the physician never answered in time.
      expect(fakes.types()).toEqual(['ConsultationSchedulingStarted', 'ConsultationCancelled']);
    });

    it('ignores duplicate replies and replies for another consultation', async () => {
      const fakes = fakeActivities();
      const input = sampleInput();
      const state = await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        const once = validated(input);
        await handle.signal(replySignals.PatientValidatedForConsultation, once);
        await handle.signal(replySignals.PatientValidatedForConsultation, once);
        // A stray rejection about another consultation must not reject this one.
        await handle.signal(replySignals.PhysicianAvailabilityRejected, physicianRejected(input, 'SLOT_TAKEN', crypto.randomUUID()));
        await handle.signal(replySignals.PhysicianAvailabilityConfirmed, confirmed(input));
        const result = await handle.result();
        const received = (await handle.query(sagaStateQuery)).steps.filter((step) => step.name.startsWith('received'));
        expect(received.map((step) => step.name)).toEqual([
          'received PatientValidatedForConsultation',
          'received PhysicianAvailabilityConfirmed',
        ]);
        return result;
      });
      expect(state.status).toBe('SCHEDULED');
    });

    it('rejects with INVALID_REQUEST, at once and in its own state, when the consultation row cannot be written', async () => {
      const fakes = fakeActivities({ failStep: { activity: 'openConsultation', error: pgDataError('22009') } });
      const input = sampleInput();
      const state = await run(fakes, async (taskQueue) => (await start(taskQueue, input)).result());
      expect(state).toMatchObject({ status: 'REJECTED', closedAt: expect.any(String) });
      expect(state.steps.at(-1)).toMatchObject({ name: 'rejected', detail: 'INVALID_REQUEST' });
      expect(state.steps.map((step: SagaStep) => step.detail)).toContain('openConsultation: invalid data (SQLSTATE 22009, Error)');
      // Not retried; nothing was announced, so physicians hold nothing and there is nothing to release.
      expect(fakes.failures).toEqual(['openConsultation']);
      expect(fakes.published).toEqual([]);
      expect(JSON.stringify(state)).not.toContain('Ana Lima');
    });

    it('rejects with INVALID_REQUEST and releases the held slot when a later step fails on invalid data', async () => {
      const fakes = fakeActivities({ failStep: { activity: 'moveConsultation', to: 'SCHEDULED', error: pgDataError('23514') } });
      const input = sampleInput();
      const state = await runConfirmed(fakes, input);
      expect(state.status).toBe('REJECTED');
      expect(state.steps.at(-1)?.detail).toBe('INVALID_REQUEST');
      expect(fakes.consultations.get(input.consultationId)).toMatchObject({ status: 'REJECTED', statusReason: 'INVALID_REQUEST' });
      // The compensation, as for any rejection: ConsultationCancelled releases the slot physicians held.
      expect(fakes.types()).toEqual(['ConsultationSchedulingStarted', 'ConsultationCancelled']);
      expect(fakes.published[1]?.payload).toMatchObject({ status: 'REJECTED', statusReason: 'INVALID_REQUEST' });
    });

    it('republishes the same event id when a publish activity is retried', async () => {
      const fakes = fakeActivities({ failPublishOnce: true });
      const input = sampleInput();
      await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        await handle.signal(replySignals.PatientValidationFailed, patientFailed(input, 'PATIENT_NOT_FOUND'));
        await handle.signal(replySignals.PhysicianAvailabilityRejected, physicianRejected(input, 'PHYSICIAN_NOT_FOUND'));
        return handle.result();
      });
      expect(fakes.publishAttempts[0]).toBe(fakes.publishAttempts[1]);
      expect(fakes.published[0]?.eventId).toBe(fakes.publishAttempts[0]);
      // Both rejected: the patient's reason is the one recorded.
      expect(fakes.consultations.get(input.consultationId)?.statusReason).toBe('PATIENT_NOT_FOUND');
    });
  });

  describe('cancelConsultation', () => {
    const start = (taskQueue: string, consultationId: string) =>
      env.client.workflow.start('cancelConsultation', {
        taskQueue,
        workflowId: sagaId('cancel', consultationId),
        args: [{ consultationId, correlationId: 'corr-cancel' }],
      });
    const voided = (consultationId: string, voidedRecordIds: string[]) =>
      reply('ConsultationRecordsVoided', { consultationId, voidedRecordIds, voidedAt: '2030-03-04T10:00:00.000Z' });

    it.each([[2], [0]])('cancels once records voids %i record(s)', async (count) => {
      const fakes = fakeActivities();
      const { consultationId } = sampleInput();
      const state = await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, consultationId);
        await handle.signal(
          replySignals.ConsultationRecordsVoided,
          voided(
            consultationId,
            Array.from({ length: count }, () => crypto.randomUUID()),
          ),
        );
        return handle.result();
      });
      expect(state.status).toBe('CANCELLED');
      expect(fakes.types()).toEqual(['ConsultationCancellationRequested', 'ConsultationCancelled']);
      expect(fakes.published[1]?.payload).toMatchObject({ status: 'CANCELLED', statusReason: 'CANCELLED_BY_REQUEST' });
      expect(state.steps.at(-1)?.detail).toBe(`${count} record(s) voided`);
    });

    it('ends FAILED with INVALID_REQUEST instead of retrying when a step fails on invalid data', async () => {
      const fakes = fakeActivities({ failStep: { activity: 'moveConsultation', to: 'CANCELLED', error: pgDataError('22001') } });
      const { consultationId } = sampleInput();
      const state = await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, consultationId);
        await handle.signal(replySignals.ConsultationRecordsVoided, voided(consultationId, []));
        return handle.result();
      });
      expect(state).toMatchObject({ status: 'FAILED', closedAt: expect.any(String) });
      expect(state.steps.at(-1)?.detail).toBe('INVALID_REQUEST');
      expect(state.steps.map((step: SagaStep) => step.detail)).toContain('moveConsultation: invalid data (SQLSTATE 22001, Error)');
      expect(fakes.failures).toEqual(['moveConsultation']);
      expect(fakes.types()).toEqual(['ConsultationCancellationRequested']);
    });

    it('still ends REFUSED when the consultation is not SCHEDULED any more', async () => {
      const fakes = fakeActivities({
        failStep: {
          activity: 'moveConsultation',
          to: 'CANCELLATION_REQUESTED',
          error: new InvalidTransitionError('x', 'REJECTED', 'CANCELLATION_REQUESTED'),
        },
      });
      const { consultationId } = sampleInput();
      const state = await run(fakes, async (taskQueue) => (await start(taskQueue, consultationId)).result());
      expect(state).toMatchObject({ status: 'REFUSED' });
      expect(fakes.published).toEqual([]);
    });

    it('keeps asking records, with a fresh event id each time, until they answer', async () => {
      const fakes = fakeActivities();
      const { consultationId } = sampleInput();
      const state = await run(fakes, async (taskQueue) => {
        const handle = await start(taskQueue, consultationId);
        await env.sleep('75 seconds'); // asks at 0 s, 10 s, 30 s and 70 s
        await handle.signal(replySignals.ConsultationRecordsVoided, voided(consultationId, []));
        return handle.result();
      });
      const asks = fakes.published.filter((event) => event.eventType === 'ConsultationCancellationRequested');
      expect(asks.length).toBe(4);
      expect(new Set(asks.map((event) => event.eventId)).size).toBe(4);
      expect(state.status).toBe('CANCELLED');
    });
  });
});
