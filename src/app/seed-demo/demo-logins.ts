import type { Role } from '../../db/schema.ts';
import type { CastKey } from './org.ts';

/** One documented password for every demo account: this is a demo, not a deployment. */
export const DEMO_PASSWORD = 'demo1234';

export interface DemoLogin {
  username: string;
  role: Role;
  /** The person behind the account, if it is a salesperson or manager. */
  cast: CastKey | null;
  displayName: string;
  zh: string;
  en: string;
}

export const demoLogins: readonly DemoLogin[] = [
  {
    username: 'admin',
    role: 'admin',
    cast: null,
    displayName: '系统管理员',
    zh: '系统管理员',
    en: 'Administrator',
  },
  {
    username: 'director',
    role: 'manager',
    cast: 'director',
    displayName: '陈志远',
    zh: '销售总监（全公司）',
    en: 'Sales director',
  },
  {
    username: 'east.mgr',
    role: 'manager',
    cast: 'EAST',
    displayName: '周建国',
    zh: '华东大区经理',
    en: 'East region manager',
  },
  {
    username: 'south.mgr',
    role: 'manager',
    cast: 'SOUTH',
    displayName: '林晓燕',
    zh: '华南大区经理',
    en: 'South region manager',
  },
  {
    username: 'north.mgr',
    role: 'manager',
    cast: 'NORTH',
    displayName: '赵立新',
    zh: '华北大区经理',
    en: 'North region manager',
  },
  {
    username: 'west.mgr',
    role: 'manager',
    cast: 'WEST',
    displayName: '杨帆',
    zh: '西部大区经理',
    en: 'West region manager',
  },
  {
    username: 'east1.lead',
    role: 'manager',
    cast: 'east1Lead',
    displayName: '吴海峰',
    zh: '华东一组组长',
    en: 'East Team 1 lead',
  },
  {
    username: 'south1.lead',
    role: 'manager',
    cast: 'south1Lead',
    displayName: '黄丽华',
    zh: '华南一组组长',
    en: 'South Team 1 lead',
  },
  {
    username: 'rep.zhang',
    role: 'rep',
    cast: 'repZhang',
    displayName: '张伟',
    zh: '华东一组销售',
    en: 'Rep, East Team 1',
  },
  {
    username: 'rep.li',
    role: 'rep',
    cast: 'repLi',
    displayName: '李娜',
    zh: '华南一组新人',
    en: 'New hire, South Team 1',
  },
  {
    username: 'rep.wang',
    role: 'rep',
    cast: 'repWang',
    displayName: '王磊',
    zh: '华东二组（去年7月调入）',
    en: 'Rep, East Team 2 since July',
  },
  {
    username: 'finance',
    role: 'finance',
    cast: null,
    displayName: '财务',
    zh: '财务',
    en: 'Finance',
  },
  {
    username: 'viewer',
    role: 'viewer',
    cast: null,
    displayName: '只读用户',
    zh: '只读',
    en: 'Read-only',
  },
];
