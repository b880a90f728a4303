import type { OrgKind, Tier } from '../../db/schema.ts';
import { addDays, firstOfMonth, yearOf } from './dates.ts';
import { familyNames, givenNames, type NamePart } from './names.ts';
import type { Prng } from './prng.ts';

export interface PlanUnit {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  kind: OrgKind;
  managerCode: string;
  sortOrder: number;
}

export interface PlanMember {
  code: string;
  nameZh: string;
  nameEn: string;
  tier: Tier;
  hireDate: string;
  email: string;
}

/** [startDate, endDate): the end is exclusive, null means still open. */
export interface PlanMembership {
  memberCode: string;
  unitCode: string;
  startDate: string;
  endDate: string | null;
}

export interface DemoRegion {
  code: string;
  short: NamePart;
  maturity: 'mature' | 'emerging';
}

export const demoRegions: readonly DemoRegion[] = [
  { code: 'EAST', short: ['华东', 'East'], maturity: 'mature' },
  { code: 'SOUTH', short: ['华南', 'South'], maturity: 'mature' },
  { code: 'NORTH', short: ['华北', 'North'], maturity: 'mature' },
  { code: 'WEST', short: ['西部', 'West'], maturity: 'emerging' },
];

export const COMPANY_CODE = 'GALAXY';
const TEAMS_PER_REGION = 3;
const TEAM_MEMBERS = 60;
const teamOrdinals = ['一', '二', '三', '四'];

/** People the demo logins and the docs refer to by name; everyone else is generated. */
export type CastKey =
  | 'director'
  | 'EAST'
  | 'SOUTH'
  | 'NORTH'
  | 'WEST'
  | 'east1Lead'
  | 'south1Lead'
  | 'repZhang'
  | 'repLi'
  | 'repWang';

const castNames: Record<CastKey, NamePart> = {
  director: ['陈志远', 'Chen Zhiyuan'],
  EAST: ['周建国', 'Zhou Jianguo'],
  SOUTH: ['林晓燕', 'Lin Xiaoyan'],
  NORTH: ['赵立新', 'Zhao Lixin'],
  WEST: ['杨帆', 'Yang Fan'],
  east1Lead: ['吴海峰', 'Wu Haifeng'],
  south1Lead: ['黄丽华', 'Huang Lihua'],
  repZhang: ['张伟', 'Zhang Wei'],
  repLi: ['李娜', 'Li Na'],
  repWang: ['王磊', 'Wang Lei'],
};

export interface DemoOrg {
  units: PlanUnit[];
  members: PlanMember[];
  memberships: PlanMembership[];
  /** Member code of each named person. */
  cast: Record<CastKey, string>;
  /** Org region code of every member's current unit (for customer ownership). */
  regionOf: Map<string, string>;
}

interface Seat {
  name: NamePart;
  tier: Tier;
  hireDate: string;
  cast?: CastKey;
}

export function buildDemoOrg(prng: Prng, today: string): DemoOrg {
  const used = new Set(Object.values(castNames).map(([zh]) => zh));
  const freshName = (): NamePart => {
    for (;;) {
      const [fz, fe] = prng.pick(familyNames);
      const [gz, ge] = prng.pick(givenNames);
      if (used.has(fz + gz)) continue;
      used.add(fz + gz);
      return [fz + gz, `${fe} ${ge}`];
    }
  };
  const hired = (tier: Tier): string => {
    if (tier === 'senior') return addDays(today, -prng.int(4 * 365, 9 * 365));
    if (tier === 'regular') return addDays(today, -prng.int(400, 4 * 365));
    return addDays(today, -prng.int(20, 350)); // new hires joined within the last year
  };
  const seat = (tier: Tier, cast?: CastKey): Seat => ({
    name: cast ? castNames[cast] : freshName(),
    tier,
    hireDate:
      cast === 'repLi'
        ? addDays(today, -120)
        : cast === 'repWang'
          ? addDays(today, -3 * 365)
          : hired(tier),
    cast,
  });

  // Team sizes: 5 each, then a few deterministic moves so teams are not all alike (4–6 people).
  const teamCount = demoRegions.length * TEAMS_PER_REGION;
  const sizes = Array.from({ length: teamCount }, () => TEAM_MEMBERS / teamCount);
  for (let moves = 0; moves < 4; moves++) {
    const from = prng.int(0, teamCount - 1);
    const to = prng.int(0, teamCount - 1);
    if (from !== to && sizes[from]! > 4 && sizes[to]! < 6) {
      sizes[from]!--;
      sizes[to]!++;
    }
  }

  // Tiers of the team members: every lead is senior (20%); of the rest, 36 regular and 12 new.
  const fixedReps: Record<string, Seat[]> = {
    'EAST-1': [seat('regular', 'repZhang')],
    'EAST-2': [seat('regular', 'repWang')],
    'SOUTH-1': [seat('new', 'repLi')],
  };
  const fixedCount = Object.values(fixedReps).flat().length;
  const poolSize = TEAM_MEMBERS - teamCount - fixedCount;
  const newCount = TEAM_MEMBERS / 5 - 1; // Li Na is the twelfth new hire
  const tierPool = prng.shuffle<Tier>([
    ...Array<Tier>(newCount).fill('new'),
    ...Array<Tier>(poolSize - newCount).fill('regular'),
  ]);

  const units: PlanUnit[] = [];
  const seats: { unitCode: string; seat: Seat }[] = [];
  seats.push({ unitCode: COMPANY_CODE, seat: seat('senior', 'director') });
  units.push({
    code: COMPANY_CODE,
    parentCode: null,
    nameZh: '星河电商',
    nameEn: 'Galaxy Commerce',
    kind: 'company',
    managerCode: '',
    sortOrder: 0,
  });

  let teamIndex = 0;
  demoRegions.forEach((region, r) => {
    const [rz, re] = region.short;
    units.push({
      code: region.code,
      parentCode: COMPANY_CODE,
      nameZh: `${rz}大区`,
      nameEn: `${re} Region`,
      kind: 'region',
      managerCode: '',
      sortOrder: r + 1,
    });
    seats.push({ unitCode: region.code, seat: seat('senior', region.code as CastKey) });
    for (let t = 1; t <= TEAMS_PER_REGION; t++) {
      const code = `${region.code}-${t}`;
      units.push({
        code,
        parentCode: region.code,
        nameZh: `${rz}${teamOrdinals[t - 1]}组`,
        nameEn: `${re} Team ${t}`,
        kind: 'team',
        managerCode: '',
        sortOrder: t,
      });
      const leadCast: CastKey | undefined =
        code === 'EAST-1' ? 'east1Lead' : code === 'SOUTH-1' ? 'south1Lead' : undefined;
      seats.push({ unitCode: code, seat: seat('senior', leadCast) });
      const fixed = fixedReps[code] ?? [];
      for (const s of fixed) seats.push({ unitCode: code, seat: s });
      for (let i = 1 + fixed.length; i < sizes[teamIndex]!; i++)
        seats.push({ unitCode: code, seat: seat(tierPool.pop()!) });
      teamIndex++;
    }
  });

  // Codes follow the org chart; the first person seated in a unit manages it.
  const members: PlanMember[] = [];
  const memberships: PlanMembership[] = [];
  const cast = {} as Record<CastKey, string>;
  const regionOf = new Map<string, string>();
  const managerOf = new Map<string, string>();
  seats.forEach(({ unitCode, seat: s }, i) => {
    const code = `M${String(i + 1).padStart(3, '0')}`;
    const login = s.name[1].toLowerCase().replace(/[^a-z]+/g, '.');
    members.push({
      code,
      nameZh: s.name[0],
      nameEn: s.name[1],
      tier: s.tier,
      hireDate: s.hireDate,
      email: `${login}.${code.toLowerCase()}@galaxy.example`,
    });
    memberships.push({ memberCode: code, unitCode, startDate: s.hireDate, endDate: null });
    if (!managerOf.has(unitCode)) managerOf.set(unitCode, code);
    if (s.cast) cast[s.cast] = code;
    regionOf.set(code, unitCode.split('-')[0]!);
  });
  for (const u of units) u.managerCode = managerOf.get(u.code)!;

  // History: effective-dated transfers (crediting follows the date, see METHOD §11).
  const transfer = (memberCode: string, toUnit: string, date: string) => {
    const open = memberships.find((m) => m.memberCode === memberCode && m.endDate === null)!;
    open.endDate = date;
    memberships.push({ memberCode, unitCode: toUnit, startDate: date, endDate: null });
    regionOf.set(memberCode, toUnit.split('-')[0]!);
  };
  // Wang Lei sat in East Team 1 until 30 June last year and sells for East Team 2 since 1 July.
  const wang = memberships.find((m) => m.memberCode === cast.repWang)!;
  wang.unitCode = 'EAST-1';
  transfer(cast.repWang, 'EAST-2', `${yearOf(today) - 1}-07-01`);
  // Two more: a rep moved from North to the emerging West this January, one within South last month.
  const regularIn = (unitCode: string, before: string) =>
    seats.findIndex(
      (x) =>
        x.unitCode === unitCode &&
        !x.seat.cast &&
        x.seat.tier === 'regular' &&
        x.seat.hireDate < before,
    );
  const moves: [from: string, to: string, date: string][] = [
    ['NORTH-2', 'WEST-1', `${yearOf(today)}-01-01`],
    ['SOUTH-3', 'SOUTH-2', firstOfMonth(today, -1)],
  ];
  for (const [from, to, date] of moves) {
    const i = regularIn(from, date);
    if (i >= 0) transfer(members[i]!.code, to, date);
  }
  return { units, members, memberships, cast, regionOf };
}
