import type { Context, MiddlewareHandler } from 'hono';
import type { CorrelationVariables } from '../http/correlation';
import { ApiError } from '../http/errors';
import { NotFoundError } from '../common/domain-errors';
import type { AuthVariables } from './authenticate';
import { accessPolicy, grantOf, type AccessRule, type Grant, type Operation } from './policy';
import type { Principal, Role, SubjectRole } from './roles';
import type { SecuredRoute } from './secured';

/** Who owns a resource, by role: the patient it is about, the physicians it involves. */
export type Owners = Partial<Record<SubjectRole, readonly string[]>>;

/** The owners of a row that names its patient and physician (a consultation, a record); undefined for no row. */
export const ownersOf = (row: { patientId: string; physicianId: string } | undefined): Owners | undefined =>
  row && { patient: [row.patientId], physician: [row.physicianId] };

/** One line of the access audit (libraries/audit/): who did what to which resource, and whether they were let. */
export interface AuditEntry {
  subject: string;
  role: Role | null;
  operation: Operation;
  resourceId: string | null;
  correlationId: string;
  /** allowed: answered 2xx; refused: by this guard (403, or 404 for someone else's); failed: allowed, then answered an error. */
  outcome: 'allowed' | 'refused' | 'failed';
  status: number;
}

export interface AuditSink {
  record(entries: AuditEntry[]): Promise<void>;
}

/** The resource a request names, and how this service knows whose it is. */
export interface OwnedResource {
  /** Its name in a 404, the same the handler gives for one that is not there ("consultation"). */
  kind: string;
  /** Its id: the path's `{id}` unless given (a body field, for a record written to a consultation). */
  id?: (c: Context) => Promise<unknown>;
  /** Its owners from this service's own data; undefined when there is no such resource. */
  owners: (id: string) => Promise<Owners | undefined>;
}

export interface GuardOptions {
  /** Whose the named resource is. Without it, an `own` grant narrows what the handler lists (ownScope). */
  resource?: OwnedResource;
  /** For a resource being made for someone (a booking's patient): an `own` caller must be that someone, or 403. */
  madeFor?: (body: Record<string, unknown>) => Owners;
}

/** What the guard let through, for the handler: the grant and who asked. */
export type AccessVariables = AuthVariables & { access: { principal: Principal; role: Role; grant: Grant } };
type GuardEnv = { Variables: AccessVariables & CorrelationVariables };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one check of docs/api.md §13's table (libraries/auth/policy.ts) on every
 * operation: a role without a grant is 403; with an `own` grant, a resource
 * of someone else's is 404, as if it did not exist, so ids cannot be probed.
 * Operations the table audits are written to the audit sink, refusals too,
 * before the answer leaves.
 */
export function createGuard(audit: AuditSink | undefined) {
  return function guard<R extends SecuredRoute>(route: R, options: GuardOptions = {}): R & { middleware: MiddlewareHandler<GuardEnv> } {
    const operation = route['x-hap-access'].operation;
    const rule: AccessRule = accessPolicy[operation];
    if (rule.audit && !audit)
      throw new Error(`${operation} is audited, but this service keeps no audit (libraries/config/services.ts audited)`);

    const middleware: MiddlewareHandler<GuardEnv> = async (c, next) => {
      const principal = c.get('principal');
      const granted = grantOf(principal, operation);
      const named = options.resource ? await resourceId(c, options.resource) : undefined;
      const write = (outcome: AuditEntry['outcome'], status: number, ids: (string | null)[]) =>
        rule.audit && audit
          ? audit.record(
              ids
                .filter((id) => rule.audit === 'always' || !(granted?.role === 'patient' && id === principal.subject))
                .map((resourceId) => ({
                  subject: principal.subject,
                  role: granted?.role ?? principal.roles[0] ?? null,
                  operation,
                  resourceId,
                  correlationId: c.get('correlationId'),
                  outcome,
                  status,
                })),
            )
          : Promise.resolve();

      if (!granted) {
        await write('refused', 403, [named ?? null]);
        throw new ApiError(403, 'FORBIDDEN', `${describe(principal)} may not ${operation.replace('.', ': ')}`);
      }
      c.set('access', { principal, ...granted });
      if (granted.grant === 'own') {
        if (named && options.resource) {
          const owners = await options.resource.owners(named);
          if (!owners || !owns(owners, granted.role, principal.subject)) {
            await write('refused', 404, [named]);
            throw new NotFoundError(options.resource.kind, named);
          }
        }
        if (options.madeFor) {
          const body = await c.req.json().catch(() => undefined);
          if (
            body &&
            typeof body === 'object' &&
            !owns(options.madeFor(body as Record<string, unknown>), granted.role, principal.subject)
          ) {
            await write('refused', 403, [null]);
            throw new ApiError(403, 'FORBIDDEN', `a ${granted.role} may do this for themselves only`);
          }
        }
      }

      await next();
      if (!rule.audit) return;
      const { status } = c.res;
      if (status >= 200 && status < 300) await write('allowed', status, (await answeredIds(c.res)) ?? [named ?? null]);
      else await write('failed', status, [named ?? null]);
    };
    return { ...route, middleware };
  };
}

export type Guard = ReturnType<typeof createGuard>;

/** A resource named by a field of the JSON body (a record names its consultation); a body that is not JSON names none. */
export const bodyField =
  (field: string) =>
  async (c: Context): Promise<unknown> =>
    ((await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined)?.[field];

/** Only a well-formed id is looked up; anything else is left to the route's validation (400). */
async function resourceId(c: Context, resource: OwnedResource): Promise<string | undefined> {
  const id = resource.id ? await resource.id(c) : c.req.param('id');
  return typeof id === 'string' && uuid.test(id) ? id.toLowerCase() : undefined;
}

function owns(owners: Owners, role: Role, subject: string): boolean {
  return (role === 'patient' || role === 'physician') && (owners[role] ?? []).includes(subject);
}

/** The ids an answer carries: a resource's `id`, or every item's of a list. */
async function answeredIds(response: Response): Promise<string[] | undefined> {
  if (!response.headers.get('content-type')?.includes('json')) return undefined;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { id?: unknown; items?: { id?: unknown }[] } | undefined;
  if (typeof body?.id === 'string') return [body.id];
  if (Array.isArray(body?.items)) return body.items.map((item) => item.id).filter((id): id is string => typeof id === 'string');
  return undefined;
}

function describe(principal: Principal): string {
  return principal.roles.length
    ? `a caller with the role${principal.roles.length > 1 ? 's' : ''} ${principal.roles.join(', ')}`
    : 'a caller with no HAP role';
}

/** What an `own` grant lets the handler list: the filter that narrows a list to the caller's, empty under an `all` grant. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ownScope<E extends { Variables: AccessVariables }>(c: Context<E, any, any>): { patientId?: string; physicianId?: string } {
  const { role, grant, principal } = c.get('access') as AccessVariables['access'];
  if (grant === 'all') return {};
  return role === 'patient'
    ? { patientId: principal.subject }
    : role === 'physician'
      ? { physicianId: principal.subject }
      : { patientId: '' };
}

/**
 * A list's filter narrowed to the caller's scope; undefined when the filter
 * asks for someone else's (the answer is an empty list, not an error).
 */
export function narrowed<F extends object>(
  filter: F,
  scope: { patientId?: string; physicianId?: string },
): (F & { patientId?: string | undefined; physicianId?: string | undefined }) | undefined {
  const asked = filter as { patientId?: string; physicianId?: string };
  for (const key of ['patientId', 'physicianId'] as const) {
    if (scope[key] !== undefined && asked[key] !== undefined && asked[key] !== scope[key]) return undefined;
  }
  return { ...filter, ...scope };
}
