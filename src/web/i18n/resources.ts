/**
 * All UI strings, one file per feature, each exporting `{ 'zh-CN': {...}, en: {...} }`. They are
 * merged into one i18next namespace keyed by feature (`t('org.addChild')`). Pure data, so the
 * unit test can check both languages have the same keys without starting i18next.
 */
import actuals from './locales/actuals.ts';
import adjustments from './locales/adjustments.ts';
import alerts from './locales/alerts.ts';
import audit from './locales/audit.ts';
import auth from './locales/auth.ts';
import calendar from './locales/calendar.ts';
import common from './locales/common.ts';
import customers from './locales/customers.ts';
import dashboard from './locales/dashboard.ts';
import dimensions from './locales/dimensions.ts';
import enums from './locales/enums.ts';
import imports from './locales/imports.ts';
import jobs from './locales/jobs.ts';
import members from './locales/members.ts';
import myTargets from './locales/my-targets.ts';
import nav from './locales/nav.ts';
import notify from './locales/notify.ts';
import org from './locales/org.ts';
import plans from './locales/plans.ts';
import products from './locales/products.ts';
import reports from './locales/reports.ts';
import settings from './locales/settings.ts';
import tracking from './locales/tracking.ts';
import users from './locales/users.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Tree {
  [key: string]: string | Tree;
}
export type FeatureStrings = Record<Language, Tree>;

export const features: Record<string, FeatureStrings> = {
  common,
  nav,
  auth,
  dashboard,
  enums,
  jobs,
  org,
  plans,
  adjustments,
  members,
  products,
  customers,
  dimensions,
  users,
  calendar,
  settings,
  audit,
  imports,
  tracking,
  reports,
  myTargets,
  actuals,
  notify,
  alerts,
};

export function resourcesFor(lang: Language): Tree {
  return Object.fromEntries(Object.entries(features).map(([name, f]) => [name, f[lang]]));
}
