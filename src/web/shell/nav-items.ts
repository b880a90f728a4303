import type { Me, Role } from '../api/types.ts';

export interface NavItem {
  key: string;
  path: string;
  /** i18n key under `nav.` */
  label: string;
  group: 'main' | 'masterData' | 'admin';
  roles?: Role[];
}

/**
 * Master data is read and kept by the workbench roles. A rep reads only themself there (scope),
 * has nothing to change, and works from 我的目标, the plans and tracking: no entries for them.
 */
const WORKBENCH: Role[] = ['admin', 'manager', 'finance', 'viewer'];

/** The menu, in order. Pages later features add (plans, tracking) go in the main group. */
export const NAV_ITEMS: NavItem[] = [
  { key: 'dashboard', path: '/', label: 'dashboard', group: 'main' },
  { key: 'plans', path: '/plans', label: 'plans', group: 'main' },
  { key: 'myTargets', path: '/me', label: 'myTargets', group: 'main' },
  { key: 'adjustments', path: '/adjustments', label: 'adjustments', group: 'main' },
  { key: 'tracking', path: '/tracking', label: 'tracking', group: 'main' },
  // A unit's reports: as its dashboard, out of a rep's scope (a rep's own node is themself).
  {
    key: 'battleReport',
    path: '/reports/battle',
    label: 'battleReport',
    group: 'main',
    roles: WORKBENCH,
  },
  {
    key: 'weeklySheet',
    path: '/reports/weekly',
    label: 'weeklySheet',
    group: 'main',
    roles: WORKBENCH,
  },
  {
    key: 'actuals',
    path: '/actuals',
    label: 'actuals',
    group: 'main',
    roles: ['admin', 'manager'],
  },
  { key: 'jobs', path: '/jobs', label: 'jobs', group: 'main', roles: ['admin', 'manager'] },
  { key: 'org', path: '/org', label: 'org', group: 'masterData', roles: WORKBENCH },
  { key: 'members', path: '/members', label: 'members', group: 'masterData', roles: WORKBENCH },
  { key: 'products', path: '/products', label: 'products', group: 'masterData', roles: WORKBENCH },
  {
    key: 'customers',
    path: '/customers',
    label: 'customers',
    group: 'masterData',
    roles: WORKBENCH,
  },
  {
    key: 'dimensions',
    path: '/dimensions',
    label: 'dimensions',
    group: 'masterData',
    roles: WORKBENCH,
  },
  { key: 'users', path: '/users', label: 'users', group: 'admin', roles: ['admin'] },
  { key: 'calendar', path: '/calendar', label: 'calendar', group: 'admin', roles: ['admin'] },
  { key: 'settings', path: '/settings', label: 'settings', group: 'admin', roles: ['admin'] },
  {
    key: 'alertRules',
    path: '/alert-rules',
    label: 'alertRules',
    group: 'admin',
    roles: ['admin'],
  },
  {
    key: 'notifyChannels',
    path: '/notify/channels',
    label: 'notifyChannels',
    group: 'admin',
    roles: ['admin'],
  },
  { key: 'audit', path: '/audit', label: 'audit', group: 'admin', roles: ['admin', 'finance'] },
];

export function visibleItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((i) => !i.roles || i.roles.includes(role));
}

/** Whether `pathname` is the page at `path` or below it ('/members' is not below '/me'). */
export function isUnder(pathname: string, path: string): boolean {
  if (path === '/') return pathname === '/';
  return pathname === path || pathname.startsWith(`${path}/`);
}

/** "My targets" only for users with a member record. */
export function withMyTargets(items: NavItem[], me: Me): NavItem[] {
  return items.filter((i) => i.key !== 'myTargets' || me.memberId !== null);
}
