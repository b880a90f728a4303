import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ChannelKind } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { ChannelRow } from './build-requests.ts';

export interface ChannelFields {
  kind: ChannelKind;
  name: string;
  /** webhook: the receiver's URL. */
  url?: string | null | undefined;
  /** dingtalk access_token / wecom key: undefined keeps the stored one (write-only). */
  token?: string | null | undefined;
  /** dingtalk 加签 secret / webhook whsec_ secret: undefined keeps it, null clears it. */
  secret?: string | null | undefined;
  keyword?: string | null | undefined;
  locale: 'zh-CN' | 'en';
  unitId: number | null;
  mode: 'each' | 'digest';
  digestTime: string;
  alertsMinSeverity: 'info' | 'warning' | 'critical' | null;
  battleReports: boolean;
  weeklySheets: boolean;
}

/** The columns for `input` over `before` (undefined secrets kept), checked for the channel's kind. */
export async function channelColumns(
  trx: Transaction<Database>,
  input: ChannelFields,
  before: ChannelRow | null,
) {
  const token = input.token === undefined ? (before?.token ?? null) : input.token || null;
  const secret = input.secret === undefined ? (before?.secret ?? null) : input.secret || null;
  const url = input.url?.trim() || null;
  if (input.kind !== 'webhook' && !token)
    throw new AppError('VALIDATION', {
      field: 'token',
      reason: input.kind === 'dingtalk' ? 'access_token required' : 'key required',
    });
  if (input.kind === 'webhook') {
    if (!url || !/^https?:\/\/[^\s]+$/i.test(url))
      throw new AppError('VALIDATION', { field: 'url', reason: 'an http(s) URL is required' });
  }
  if (input.unitId !== null) {
    const unit = await trx
      .selectFrom('org_units')
      .select('id')
      .where('id', '=', input.unitId)
      .executeTakeFirst();
    if (!unit) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  }
  return {
    kind: input.kind,
    name: input.name,
    url: input.kind === 'webhook' ? url : null,
    token: input.kind === 'webhook' ? null : token,
    secret: input.kind === 'wecom' ? null : secret,
    keyword: input.kind === 'dingtalk' ? input.keyword?.trim() || null : null,
    locale: input.locale,
    unit_id: input.unitId,
    mode: input.mode,
    digest_time: input.digestTime,
    alerts_min_severity: input.alertsMinSeverity,
    battle_reports: input.battleReports ? 1 : 0,
    weekly_sheets: input.weeklySheets ? 1 : 0,
  };
}

/** What the audit log says about a channel: everything but the token and the secret. */
export function auditedFields(row: Partial<ChannelRow>): Record<string, unknown> {
  const { token: _t, secret: _s, recent_sends: _r, ...rest } = row;
  return rest;
}

/** Which write-only values changed, named only ("secret changed"), for the audit entry. */
export function secretChanges(
  before: ChannelRow | null,
  after: { token: string | null; secret: string | null },
) {
  return {
    tokenChanged: (before?.token ?? null) !== after.token,
    secretChanged: (before?.secret ?? null) !== after.secret,
  };
}
