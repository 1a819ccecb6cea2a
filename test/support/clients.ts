import type { Hono } from 'hono';
import { hc, type ApplyGlobalResponse, type ClientResponse } from 'hono/client';
import type { BlankEnv, ExtractSchema, Schema } from 'hono/types';
import { expect } from 'vitest';
import type { ErrorCode } from '../../libraries/http/errors';
import type { healthRoutes } from '../../libraries/http/health';
import type { PatientsApp } from '../../services/patients/routes';
import type { PhysiciansApp } from '../../services/physicians/routes';
import type { RecordsApp } from '../../services/records/routes';
import type { ReportingApp } from '../../services/reporting/routes';
import type { SchedulingApp } from '../../services/scheduling/routes';
import type { AuditApp } from '../../libraries/audit/routes';
import { bearer, staff, type Caller } from './tokens';

/** docs/api.md §3's error body; what `details` holds depends on the code (see fieldsOf). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * The error answers the frame (libraries/http/app.ts) may give on any route (405, 413,
 * 500, 503 and the rest) besides those a route declares with
 * errorResponses(): the clients add them all, with the code typed.
 */
type ErrorAnswers = { [S in 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 500 | 503]: { json: ErrorBody } };

/** What a HAP process serves: its routes, the frame's /health and /ready, and the frame's error answers on all of them. */
type Served<S extends Schema> = ApplyGlobalResponse<Hono<BlankEnv, S & ExtractSchema<ReturnType<typeof healthRoutes>>, '/'>, ErrorAnswers>;

/**
 * Every request of a client carries the caller's bearer token, the front
 * desk's (staff) unless the test says who, and unless the request sets an
 * Authorization of its own. Added in fetch, since a request's own headers
 * option replaces the client's.
 */
const as = (caller: Caller) => ({
  fetch: async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (!headers.has('authorization')) headers.set('authorization', (await bearer(caller)).authorization);
    return fetch(input, { ...init, headers });
  },
});

/** Typed clients (`hc`) of a service instance, or of the gateway, which serves every service's routes. */
export const patientsClient = (url: string, caller = staff) =>
  hc<Served<ExtractSchema<PatientsApp> & ExtractSchema<AuditApp>>>(url, as(caller));
export const physiciansClient = (url: string, caller = staff) => hc<Served<ExtractSchema<PhysiciansApp>>>(url, as(caller));
export const schedulingClient = (url: string, caller = staff) => hc<Served<ExtractSchema<SchedulingApp>>>(url, as(caller));
export const recordsClient = (url: string, caller = staff) =>
  hc<Served<ExtractSchema<RecordsApp> & ExtractSchema<AuditApp>>>(url, as(caller));
export const reportingClient = (url: string, caller = staff) => hc<Served<ExtractSchema<ReportingApp>>>(url, as(caller));
export const gatewayClient = (url: string, caller = staff) =>
  hc<
    Served<
      ExtractSchema<PatientsApp> &
        ExtractSchema<PhysiciansApp> &
        ExtractSchema<SchedulingApp> &
        ExtractSchema<RecordsApp> &
        ExtractSchema<ReportingApp> &
        ExtractSchema<AuditApp>
    >
  >(url, as(caller));

export type PatientsClient = ReturnType<typeof patientsClient>;
export type PhysiciansClient = ReturnType<typeof physiciansClient>;
export type SchedulingClient = ReturnType<typeof schedulingClient>;
export type RecordsClient = ReturnType<typeof recordsClient>;
export type ReportingClient = ReturnType<typeof reportingClient>;
export type GatewayClient = ReturnType<typeof gatewayClient>;

/** One answer read whole, typed by its status: the body the route declares for it (ErrorBody for errors), and the headers. */
export type Answer<R> =
  R extends ClientResponse<infer Body, infer Status, infer Format>
    ? { status: Status; body: Format extends 'json' ? Body : unknown; headers: Headers }
    : never;

/** Reads a typed client's answer; narrow it to one status with expectStatus. */
export async function json<R extends ClientResponse<unknown, number>>(response: R | Promise<R>): Promise<Answer<R>> {
  const answer = await response;
  const text = await answer.text();
  return { status: answer.status, body: text ? JSON.parse(text) : undefined, headers: answer.headers } as Answer<R>;
}

/** expect(answer.status).toBe(status), after which the body has that status's type. */
export function expectStatus<A extends { status: number }, S extends A['status']>(
  answer: A,
  status: S,
): asserts answer is Extract<A, { status: S }> {
  expect(answer.status).toBe(status);
}

/** A 400 VALIDATION_FAILED answer's details, one per broken field, in its order; expects the 400. */
export function detailsOf(answer: { status: number; body: unknown }): { field: string; message: string }[] {
  expect(answer.status).toBe(400);
  return (answer.body as ErrorBody).error.details as { field: string; message: string }[];
}

/** The fields a 400 VALIDATION_FAILED answer names, in its order; expects the 400. */
export const fieldsOf = (answer: { status: number; body: unknown }) => detailsOf(answer).map((detail) => detail.field);
