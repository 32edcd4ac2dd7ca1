/**
 * Who may do what, where. Roles and the actions each may take are data; scope (the courts a
 * person answers for) comes from the role's anchor: a court, a region, a service
 * organization's contract, or the whole country. `can()` is a pure function.
 */
import type { Inventory } from '../config/inventory';

export const HUMAN_ROLES = [
  'secretary', // court-session secretary: runs recording in the hall (000 §6, §8)
  'chancellery-head', // head of a court's chancellery: daily checks in first instance (000 §7)
  'technician', // service organization's worker, in the courts of its contract (000 §7, §11)
  'regional-coordinator', // AVF/VKS coordinator of the regional court (000 §27, §28)
  'department-coordinator', // the national Department's coordinator (000 §28, §29)
  'administrator',
] as const;
export type HumanRole = (typeof HUMAN_ROLES)[number];

export const TOKEN_KINDS = ['portal-reader', 'collector'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export type Role = HumanRole | TokenKind;

export const ACTIONS = {
  /** See halls, devices, results (always within scope). */
  'hall.view': ['secretary', 'chancellery-head', 'technician', 'regional-coordinator', 'department-coordinator', 'administrator'],
  /** Probe a device now. */
  'device.probe': ['chancellery-head', 'technician', 'regional-coordinator', 'department-coordinator', 'administrator'],
  /** Open and close maintenance windows (incidents are suppressed meanwhile). */
  'maintenance.manage': ['technician', 'regional-coordinator', 'administrator'],
  /** Start and stop recording, test recordings (issue: capture control). */
  'recording.control': ['secretary', 'technician', 'administrator'],
  /** The secretary's "recording impossible" report (000 §27). */
  'recording.impossible': ['secretary', 'chancellery-head'],
  /** Sign the daily functional check (000 §7, §11, §17; the owner by court level is policy). */
  'checklist.sign': ['chancellery-head', 'technician'],
  /** Acknowledge, comment, assign, resolve incidents. */
  'incident.manage': ['chancellery-head', 'technician', 'regional-coordinator', 'department-coordinator', 'administrator'],
  /** Confirm the cause of a failure (000 §29: Department, region, service organization). */
  'cause.confirm': ['technician', 'regional-coordinator', 'department-coordinator'],
  /** Approve a technical act (000 §29). */
  'act.approve': ['chancellery-head', 'regional-coordinator', 'department-coordinator'],
  /** Keep the VKS hearing schedule (001 §12, §21): the court's secretary and chancellery head. */
  'vks.schedule': ['secretary', 'chancellery-head', 'administrator'],
  /** Run a test call on a hall's VKS endpoint (002 §13 test session; 001 §15.5). */
  'vks.test-call': ['secretary', 'chancellery-head', 'technician', 'administrator'],
  /** Read the audit trail. */
  'audit.view': ['regional-coordinator', 'department-coordinator', 'administrator'],
  /** Manage users and machine tokens. */
  'user.manage': ['administrator'],
  /** The internal portal's status feed (000 §4). */
  'portal.read': ['portal-reader', 'department-coordinator', 'administrator'],
  /** Another collector pushing its region's results. */
  'results.push': ['collector'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof ACTIONS;

/** The person or machine behind a request. */
export interface Principal {
  kind: 'user' | 'token';
  /** Login, or the token's name. */
  name: string;
  displayName: string;
  role: Role;
  courtId?: string | null;
  regionId?: string | null;
  orgId?: string | null;
}

/** The courts a principal answers for: a set, or every court. */
export type Scope = { all: true } | { all: false; courts: ReadonlySet<string> };

export function scopeOf(p: Principal, inv: Inventory): Scope {
  switch (p.role) {
    case 'secretary':
    case 'chancellery-head':
      return { all: false, courts: new Set(p.courtId && inv.court.has(p.courtId) ? [p.courtId] : []) };
    case 'technician':
      return { all: false, courts: new Set(p.orgId ? inv.serviceOrgs.get(p.orgId)?.courtIds ?? [] : []) };
    case 'regional-coordinator':
      return { all: false, courts: new Set(p.regionId ? inv.region.get(p.regionId)?.courtIds ?? [] : []) };
    default:
      return { all: true };
  }
}

export function inScope(scope: Scope, courtId: string): boolean {
  return scope.all || scope.courts.has(courtId);
}

export function roleAllows(role: Role, action: Action): boolean {
  return (ACTIONS[action] as readonly Role[]).includes(role);
}

export type Decision = { allowed: true } | { allowed: false; reason: 'role' | 'scope' };

/** May this principal take this action, in this court (or anywhere, when courtId is omitted)? */
export function can(p: Principal, action: Action, scope: Scope, courtId?: string): Decision {
  if (!roleAllows(p.role, action)) return { allowed: false, reason: 'role' };
  if (courtId !== undefined && !inScope(scope, courtId)) return { allowed: false, reason: 'scope' };
  return { allowed: true };
}

/** Actions a principal may take somewhere, for the console to show or hide controls. */
export function allowedActions(p: Principal): Action[] {
  return (Object.keys(ACTIONS) as Action[]).filter((a) => roleAllows(p.role, a));
}

/** A role's anchor must be given: a court for court roles, a region, a service organization. */
export function anchorProblem(role: string, u: { courtId?: string | null; regionId?: string | null; orgId?: string | null }): { field: string; message: string } | undefined {
  if ((role === 'secretary' || role === 'chancellery-head') && !u.courtId) return { field: 'courtId', message: `a ${role} belongs to one court: give courtId` };
  if (role === 'regional-coordinator' && !u.regionId) return { field: 'regionId', message: 'a regional coordinator answers for a region: give regionId' };
  if (role === 'technician' && !u.orgId) return { field: 'orgId', message: 'a technician works for a service organization: give orgId' };
  return undefined;
}
