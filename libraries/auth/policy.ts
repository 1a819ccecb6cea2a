import type { Principal, Role } from './roles';

/** `all`: every resource of the kind. `own`: only the caller's (docs/api.md §13), lists narrowed to them. */
export type Grant = 'all' | 'own';

export interface AccessRule {
  /** What each role may do; a role left out is refused (403). */
  grants: Partial<Record<Role, Grant>>;
  /**
   * Kept in the access audit: `always` (clinical records), or `others` for
   * every caller but the person the data is about (a patient reading themselves
   * is not audited).
   */
  audit?: 'always' | 'others';
}

/**
 * Who may do what: the one table every HTTP operation of HAP is checked
 * against (libraries/auth/guard.ts), published with each operation in OpenAPI
 * (`x-hap-access`) and written out in docs/api.md §13. Staff and admin are
 * granted no clinical content.
 */
export const accessPolicy = {
  'patients.register': { grants: { staff: 'all' } },
  'patients.list': { grants: { staff: 'all' }, audit: 'others' },
  // A physician's "own" patients are those with a consultation with them.
  'patients.read': { grants: { patient: 'own', physician: 'own', staff: 'all' }, audit: 'others' },
  'patients.update': { grants: { patient: 'own', staff: 'all' }, audit: 'others' },
  'patients.deactivate': { grants: { staff: 'all' } },

  'physicians.register': { grants: { staff: 'all' } },
  'physicians.read': { grants: { patient: 'all', physician: 'all', staff: 'all', admin: 'all' } },
  'physicians.update': { grants: { physician: 'own', staff: 'all' } },
  'physicians.deactivate': { grants: { staff: 'all' } },

  'consultations.book': { grants: { patient: 'own', staff: 'all' } },
  'consultations.read': { grants: { patient: 'own', physician: 'own', staff: 'all', admin: 'all' } },
  'consultations.change': { grants: { patient: 'own', physician: 'own', staff: 'all' } },
  'consultations.cancel': { grants: { patient: 'own', physician: 'own', staff: 'all' } },
  'consultations.complete': { grants: { physician: 'own' } },

  'records.write': { grants: { physician: 'own' }, audit: 'always' },
  'records.read': { grants: { patient: 'own', physician: 'own' }, audit: 'always' },

  // Counts and rates over a time range, never a name or a clinical word (GET /reports/…).
  'reports.read': { grants: { staff: 'all', admin: 'all' } },

  'audit.read': { grants: { admin: 'all' } },
  // Operations' own: counters and timings, never a person's data (GET /metrics on every process).
  'metrics.read': { grants: { admin: 'all' } },
  // Dead letters hold whole envelopes, health data among them: operations only, and never audited away.
  'dlq.read': { grants: { admin: 'all' } },
  'dlq.repair': { grants: { admin: 'all' } },
  'readModel.rebuild': { grants: { admin: 'all' } },
} as const satisfies Record<string, AccessRule>;

export type Operation = keyof typeof accessPolicy;
export const operations = Object.keys(accessPolicy) as Operation[];

/** What the caller may do here, through the widest of their roles: undefined when none grants it. */
export function grantOf(principal: Principal, operation: Operation): { role: Role; grant: Grant } | undefined {
  const grants: AccessRule['grants'] = accessPolicy[operation].grants;
  let best: { role: Role; grant: Grant } | undefined;
  for (const role of principal.roles) {
    const grant = grants[role];
    if (grant === 'all') return { role, grant };
    if (grant && !best) best = { role, grant };
  }
  return best;
}
