import type { CustomerTier } from '../../db/schema.ts';
import { citiesByRegion, companySuffixes, familyNames, tradeNames } from './names.ts';
import { demoRegions, type PlanMember, type PlanMembership } from './org.ts';
import type { Prng } from './prng.ts';

export interface PlanCustomer {
  code: string;
  nameZh: string;
  nameEn: string;
  segmentCode: string;
  typeCode: string;
  regionCode: string;
  ownerCode: string;
  /** Fen. */
  annualPurchase: number;
  tier: CustomerTier;
}

const WAN = 10_000 * 100; // 1 万元 in fen

/** The method's example rule (METHOD §4): A from 500万 a year, B from 100万, C the long tail. */
export function demoTierOf(annualPurchase: number): CustomerTier {
  if (annualPurchase >= 500 * WAN) return 'A';
  if (annualPurchase >= 100 * WAN) return 'B';
  return 'C';
}

interface Band {
  count: number;
  /** Range in 万元. */
  min: number;
  max: number;
  segments: readonly string[];
  types: readonly string[];
  consumer?: boolean;
}

/** A few strategic accounts, a growth layer and a long tail — the shape tiering is for. */
const bands: readonly Band[] = [
  { count: 8, min: 520, max: 2600, segments: ['KA'], types: ['RETAIL', 'DISTRIB', 'CORP'] },
  {
    count: 52,
    min: 100,
    max: 480,
    segments: ['KA', 'KA', 'SMB'],
    types: ['RETAIL', 'DISTRIB', 'CORP', 'MERCHANT'],
  },
  {
    count: 144,
    min: 5,
    max: 95,
    segments: ['SMB'],
    types: ['RETAIL', 'CORP', 'MERCHANT', 'MERCHANT'],
  },
  { count: 96, min: 0.5, max: 20, segments: ['CONSUMER'], types: ['VIP'], consumer: true },
];

/** Where customers sit, in per mille: the mature East is the biggest market, the West the smallest. */
const regionWeights: Record<string, number> = { EAST: 350, SOUTH: 280, NORTH: 220, WEST: 150 };

export function buildDemoCustomers(
  prng: Prng,
  members: readonly PlanMember[],
  memberships: readonly PlanMembership[],
): PlanCustomer[] {
  // Owners are reps in teams today; big accounts go to experienced people.
  const tierOf = new Map(members.map((m) => [m.code, m.tier]));
  const ownersIn = new Map<string, { any: string[]; experienced: string[] }>();
  for (const m of memberships) {
    if (m.endDate !== null || !m.unitCode.includes('-')) continue;
    const region = m.unitCode.split('-')[0]!;
    const slot = ownersIn.get(region) ?? { any: [], experienced: [] };
    slot.any.push(m.memberCode);
    if (tierOf.get(m.memberCode) !== 'new') slot.experienced.push(m.memberCode);
    ownersIn.set(region, slot);
  }
  const pickRegion = (): string => {
    let x = prng.int(0, 999);
    for (const r of demoRegions) {
      x -= regionWeights[r.code]!;
      if (x < 0) return r.code;
    }
    return demoRegions[0]!.code;
  };

  const names = new Set<string>();
  const nameFor = (region: string, consumer: boolean): [string, string] => {
    const cities = citiesByRegion[region]!;
    for (;;) {
      const [cz, ce] = prng.pick(cities);
      let zh: string;
      let en: string;
      if (consumer) {
        const [fz, fe] = prng.pick(familyNames);
        const female = prng.next() < 0.6;
        zh = `${fz}${female ? '女士' : '先生'}（${cz}）`;
        en = `${female ? 'Ms' : 'Mr'} ${fe} (${ce})`;
      } else {
        const [tz, te] = prng.pick(tradeNames);
        const [sz, se] = prng.pick(companySuffixes);
        zh = `${cz}${tz}${sz}`;
        en = `${ce} ${te} ${se}`;
      }
      if (names.has(zh)) continue;
      names.add(zh);
      return [zh, en];
    }
  };

  const out: PlanCustomer[] = [];
  for (const band of bands) {
    for (let i = 0; i < band.count; i++) {
      const regionCode = pickRegion();
      const owners = ownersIn.get(regionCode)!;
      const [nameZh, nameEn] = nameFor(regionCode, band.consumer === true);
      // Whole hundreds of yuan, drawn from the band's range.
      const annualPurchase = prng.int(band.min * 100, band.max * 100) * 100 * 100;
      out.push({
        code: '',
        nameZh,
        nameEn,
        segmentCode: prng.pick(band.segments),
        typeCode: prng.pick(band.types),
        regionCode,
        ownerCode: prng.pick(band.min >= 100 ? owners.experienced : owners.any),
        annualPurchase,
        tier: demoTierOf(annualPurchase),
      });
    }
  }
  // Biggest first, so C0001 is the largest account — what a sales director would expect.
  out.sort((a, b) => b.annualPurchase - a.annualPurchase || (a.nameZh < b.nameZh ? -1 : 1));
  out.forEach((c, i) => (c.code = `C${String(i + 1).padStart(4, '0')}`));
  return out;
}
