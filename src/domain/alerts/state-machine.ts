/**
 * Each (rule, subject, period) is a small state machine (issue 13):
 *
 *   (none) ──fires──▶ open ──ack──▶ acknowledged
 *                      │ ▲            │
 *                 snooze│ │until ≤ today│
 *                      ▼ │            │
 *                    snoozed          │
 *   any active ──condition clears──▶ resolved ──fires again──▶ open (reopened)
 *
 * A change of state is announced once; an alert that keeps firing is never announced again.
 * When the period is closed (re-imported history) a change of verdict is announced as
 * `verdict_changed`, so the message says the numbers moved rather than "new alert".
 * Pure: `today` is passed in.
 */
import { AppError } from '../errors.ts';
import { daysBetween } from '../periods.ts';
import type { AlertState, AlertTransition } from './alert-event.ts';

export interface AlertStatus {
  state: AlertState;
  snoozedUntil: string | null;
  /** The day the alert was last (re)opened or escalated: the escalation clock starts there. */
  escalationClockFrom: string;
  escalationLevel: number;
}

export interface VerdictInput {
  fires: boolean;
  /** A firing stop-loss inhibits this alert: it is neither opened nor announced. */
  suppressed: boolean;
  /** The period ended before today (re-evaluated history). */
  periodClosed: boolean;
}

export interface Step {
  next: AlertStatus | null;
  transition: AlertTransition | null;
}

const ACTIVE: readonly AlertState[] = ['open', 'acknowledged', 'snoozed'];
export const isActive = (s: AlertState) => ACTIVE.includes(s);

/** The state after an evaluation's verdict, and what to announce (null: nothing changed). */
export function applyVerdict(current: AlertStatus | null, v: VerdictInput, today: string): Step {
  const opened = (): AlertStatus => ({
    state: 'open',
    snoozedUntil: null,
    escalationClockFrom: today,
    escalationLevel: 0,
  });
  if (current === null) {
    if (!v.fires || v.suppressed) return { next: null, transition: null };
    return { next: opened(), transition: 'opened' };
  }
  if (current.state === 'resolved') {
    if (!v.fires || v.suppressed) return { next: current, transition: null };
    return { next: opened(), transition: v.periodClosed ? 'verdict_changed' : 'reopened' };
  }
  // Active.
  if (!v.fires) {
    return {
      next: { ...current, state: 'resolved', snoozedUntil: null },
      transition: v.periodClosed ? 'verdict_changed' : 'resolved',
    };
  }
  if (current.state === 'snoozed' && current.snoozedUntil !== null && current.snoozedUntil <= today)
    return {
      next: { ...current, state: 'open', snoozedUntil: null, escalationClockFrom: today },
      transition: 'reopened',
    };
  return { next: current, transition: null };
}

/**
 * An open alert nobody acknowledged within `afterDays` escalates one manager up, then again
 * after as many days, until `maxLevel` (no one further up).
 */
export function escalate(
  current: AlertStatus,
  afterDays: number | null,
  today: string,
  maxLevel: number,
): Step {
  if (
    afterDays === null ||
    current.state !== 'open' ||
    current.escalationLevel >= maxLevel ||
    daysBetween(current.escalationClockFrom, today) < afterDays
  )
    return { next: current, transition: null };
  return {
    next: { ...current, escalationLevel: current.escalationLevel + 1, escalationClockFrom: today },
    transition: 'escalated',
  };
}

/** A person acknowledges: open or snoozed → acknowledged. */
export function acknowledge(current: AlertStatus): Step {
  if (current.state !== 'open' && current.state !== 'snoozed')
    throw new AppError('ALERT_STATE_INVALID', { state: current.state, action: 'acknowledge' });
  return {
    next: { ...current, state: 'acknowledged', snoozedUntil: null },
    transition: 'acknowledged',
  };
}

/** A person snoozes an active alert until a later day (with a reason, kept by the caller). */
export function snooze(current: AlertStatus, until: string, today: string): Step {
  if (!isActive(current.state))
    throw new AppError('ALERT_STATE_INVALID', { state: current.state, action: 'snooze' });
  if (until <= today) throw new AppError('ALERT_SNOOZE_DATE', { until, today });
  return { next: { ...current, state: 'snoozed', snoozedUntil: until }, transition: 'snoozed' };
}

/** Assigning keeps the state; only an active alert can be assigned. */
export function assign(current: AlertStatus): Step {
  if (!isActive(current.state))
    throw new AppError('ALERT_STATE_INVALID', { state: current.state, action: 'assign' });
  return { next: current, transition: 'assigned' };
}
