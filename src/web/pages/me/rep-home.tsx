import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import type { Me } from '../../api/types.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import type { NavItem } from '../../shell/nav-items.ts';

/** A rep's home is their own targets: the workbench's master-data links are not for them. */
const landsOnMyTargets = (me: Me) => me.role === 'rep' && me.memberId !== null;

export function RepHome({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  return landsOnMyTargets(me) ? <Navigate to="/me" replace /> : <>{children}</>;
}

/** "My targets" only for users with a member record; no workbench entry for reps, who land on their targets. */
export function withMyTargets(items: NavItem[], me: Me): NavItem[] {
  return items.filter((i) =>
    i.key === 'myTargets' ? me.memberId !== null : !(i.key === 'dashboard' && landsOnMyTargets(me)),
  );
}
