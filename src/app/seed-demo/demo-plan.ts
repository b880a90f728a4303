import type { Role } from '../../db/schema.ts';
import {
  buildDemoCatalog,
  buildDemoDimensions,
  type PlanDimension,
  type PlanProduct,
  type PlanProductLine,
} from './catalog.ts';
import { buildDemoCustomers, type PlanCustomer } from './customers.ts';
import { demoLogins } from './demo-logins.ts';
import { buildDemoOrg, type PlanMember, type PlanMembership, type PlanUnit } from './org.ts';
import { createPrng } from './prng.ts';

export interface PlanUser {
  username: string;
  displayName: string;
  role: Role;
  memberCode: string | null;
}

/** Everything the demo company consists of, as plain data, before any id exists. */
export interface DemoPlan {
  today: string;
  units: PlanUnit[];
  members: PlanMember[];
  memberships: PlanMembership[];
  productLines: PlanProductLine[];
  products: PlanProduct[];
  dimensions: PlanDimension[];
  customers: PlanCustomer[];
  users: PlanUser[];
}

/**
 * A fixed seed keeps names and numbers stable from one day to the next; only dates move with
 * `today` (new hires stay new, last year's transfer stays last year).
 */
const DEMO_SEED = 20_240_701;

export function buildDemoPlan(today: string): DemoPlan {
  const prng = createPrng(DEMO_SEED);
  const org = buildDemoOrg(prng, today);
  const { productLines, products } = buildDemoCatalog();
  const customers = buildDemoCustomers(prng, org.members, org.memberships);
  const users = demoLogins.map((l) => ({
    username: l.username,
    displayName: l.displayName,
    role: l.role,
    memberCode: l.cast ? org.cast[l.cast] : null,
  }));
  return {
    today,
    units: org.units,
    members: org.members,
    memberships: org.memberships,
    productLines,
    products,
    dimensions: buildDemoDimensions(),
    customers,
    users,
  };
}
