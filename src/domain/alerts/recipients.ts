/**
 * Who hears of an alert: the rule's recipients (the subject, the manager, the manager's manager)
 * along the subject's management chain, plus one manager further up per escalation level.
 */
import type { AlertRecipient } from './rules.ts';

export interface Chain {
  /** The member the alert is about (null for a unit). */
  subjectMemberId: number | null;
  /** Managers from the nearest up, the subject itself excluded, without repeats. */
  managers: readonly number[];
}

export function recipientsFor(
  recipients: readonly AlertRecipient[],
  chain: Chain,
  escalationLevel: number,
): number[] {
  const out: number[] = [];
  const add = (id: number | null | undefined) => {
    if (id !== null && id !== undefined && !out.includes(id)) out.push(id);
  };
  if (recipients.includes('subject')) add(chain.subjectMemberId);
  if (recipients.includes('manager')) add(chain.managers[0]);
  if (recipients.includes('manager_manager')) add(chain.managers[1]);
  const top = baseTop(recipients);
  for (let i = top + 1; i <= top + escalationLevel; i++) add(chain.managers[i]);
  return out;
}

/** Levels an alert can still escalate: managers above those the rule already tells. */
export function maxEscalation(recipients: readonly AlertRecipient[], chain: Chain): number {
  const top = baseTop(recipients);
  return Math.max(0, chain.managers.length - 1 - top);
}

/** The highest rung of the chain the rule tells without escalation (-1: none). */
function baseTop(recipients: readonly AlertRecipient[]): number {
  return recipients.includes('manager_manager') ? 1 : recipients.includes('manager') ? 0 : -1;
}
