/**
 * Who can call HAP (docs/api.md §13): patients and physicians act on what is
 * theirs, the token's subject being their patient or physician id; the front
 * desk (staff) runs the practice without clinical content; operations (admin)
 * see the audit and the system, not the health data.
 */
export const roles = ['patient', 'physician', 'staff', 'admin'] as const;
export type Role = (typeof roles)[number];

/** The roles whose token subject is the id of a resource of their own. */
export const subjectRoles = ['patient', 'physician'] as const satisfies readonly Role[];
export type SubjectRole = (typeof subjectRoles)[number];

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

/** The caller a verified token stands for. */
export interface Principal {
  /** The token's `sub`: a patient's or physician's id for those roles, an opaque user id otherwise. */
  subject: string;
  /** The HAP roles among the token's, in the order of `roles`. */
  roles: Role[];
}
