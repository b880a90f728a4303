import { useQuery } from '@tanstack/react-query';
import { Breadcrumb } from 'antd';
import { api } from '../../api/client.ts';
import type { MemberDetail, OrgUnit } from '../../api/types.ts';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { useOrgUnits } from '../org/org-tree.ts';
import type { Overview } from './tracking-api.ts';

/** Units on the path of `unitId`, root first, limited to those the caller can see. */
function ancestry(units: readonly OrgUnit[], unitId: number): OrgUnit[] {
  const unit = units.find((u) => u.id === unitId);
  if (!unit) return [];
  const ids = unit.path.split('/').filter(Boolean).map(Number);
  return ids
    .map((id) => units.find((u) => u.id === id))
    .filter((u): u is OrgUnit => u !== undefined);
}

/**
 * The way back up the org tree from the node on screen. A member's unit comes from where the user
 * drilled from, else from the member's current membership.
 */
export function NodeCrumbs({
  node,
  fromUnitId,
  onUnit,
}: {
  node: Overview['node'];
  fromUnitId?: number;
  onUnit: (unitId: number) => void;
}) {
  const units = useOrgUnits();
  const localName = useLocalName();
  const me = useCurrentUser();
  // Only units the caller may track are links; a rep sees their team's name but cannot open it.
  const readable = (u: OrgUnit) =>
    me.scope.all || me.scope.unitPaths.some((p) => u.path.startsWith(p));
  const member = useQuery({
    queryKey: ['members', node.id],
    queryFn: () => api.get<MemberDetail>(`/members/${node.id}`),
    enabled: node.type === 'member' && fromUnitId === undefined,
    retry: false,
  });
  const unitId = node.type === 'unit' ? node.id : (fromUnitId ?? member.data?.unitId ?? undefined);
  const path = unitId === undefined ? [] : ancestry(units.data ?? [], unitId);
  const items = path.map((u) => {
    const current = node.type === 'unit' && u.id === node.id;
    return {
      key: u.id,
      title:
        current || !readable(u) ? (
          localName(u.nameZh, u.nameEn)
        ) : (
          <a
            data-testid={`crumb-${u.id}`}
            onClick={(e) => {
              e.preventDefault();
              onUnit(u.id);
            }}
            href="#"
          >
            {localName(u.nameZh, u.nameEn)}
          </a>
        ),
    };
  });
  if (node.type === 'member' || items.length === 0)
    items.push({ key: -node.id, title: <>{localName(node.nameZh, node.nameEn)}</> });
  // The top of the tree has no way up: the title under the crumbs already names it.
  if (items.length < 2) return null;
  return <Breadcrumb data-testid="node-crumbs" items={items} />;
}
