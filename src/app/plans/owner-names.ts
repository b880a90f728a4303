import type { Db } from '../../db/connect.ts';
import type { OrgSnapshot } from '../../db/plans/org.ts';

/** An owner's names: a unit from the org snapshot, a member from it or from every member (one who left). */
export function ownerName(
  org: OrgSnapshot,
  names: Map<number, { nameZh: string; nameEn: string }>,
  k: { ownerType: string; ownerId: number },
) {
  const n =
    k.ownerType === 'unit'
      ? org.units.get(k.ownerId)
      : (org.members.get(k.ownerId) ?? names.get(k.ownerId));
  return { nameZh: n?.nameZh ?? '', nameEn: n?.nameEn ?? '' };
}

export async function memberNames(db: Db) {
  const rows = await db.selectFrom('members').select(['id', 'name_zh', 'name_en']).execute();
  return new Map(rows.map((r) => [r.id, { nameZh: r.name_zh, nameEn: r.name_en }]));
}
