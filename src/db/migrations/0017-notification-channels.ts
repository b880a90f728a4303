import type { Kysely } from 'kysely';
import { withId } from './portable.ts';

/**
 * Notification channels (DingTalk and WeCom group robots, signed webhooks), routed per org unit,
 * and the delivery log that is also the channels' outbox: the worker's event subscriber writes a
 * pending row per channel and event, a sender claims due rows under a lease and does the HTTP.
 * Members get the ids the robots mention them by.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('notification_channels'))
    .addColumn('kind', 'text', (c) => c.notNull()) // dingtalk | wecom | webhook
    .addColumn('name', 'text', (c) => c.notNull())
    // webhook: the receiver's URL (dingtalk / wecom post to their API hosts)
    .addColumn('url', 'text')
    // dingtalk: access_token; wecom: key. Write-only, like the secret.
    .addColumn('token', 'text')
    // dingtalk: the 加签 secret (SEC…); webhook: the whsec_ signing secret. Write-only.
    .addColumn('secret', 'text')
    .addColumn('keyword', 'text')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    // null: company-wide; else the channel hears of its unit's subtree
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id').onDelete('cascade'))
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('each')) // each | digest
    .addColumn('digest_time', 'text', (c) => c.notNull().defaultTo('08:30')) // China time
    .addColumn('last_digest_date', 'text')
    // null: no alerts; else alerts of at least this severity
    .addColumn('alerts_min_severity', 'text')
    .addColumn('battle_reports', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('weekly_sheets', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_reason', 'text')
    // JSON array of the robot's send times (ms) in the last minute, for the 20/min limit
    .addColumn('recent_sends', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('notification_deliveries'))
    .addColumn('channel_id', 'integer', (c) =>
      c.notNull().references('notification_channels.id').onDelete('cascade'),
    )
    // alert:12:opened:…, battle_report:12:2026-12-07, digest:2026-12-07, test:…
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // alert | battle_report | … | digest | test
    // pending | held (waiting for the digest) | digested | sent | failed | dead
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull()) // JSON, both languages
    .addColumn('digest_id', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('request_summary', 'text')
    .addColumn('reply_status', 'integer')
    .addColumn('reply_body', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('notification_deliveries_dedupe', ['channel_id', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_due')
    .on('notification_deliveries')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_log')
    .on('notification_deliveries')
    .columns(['channel_id', 'id'])
    .execute();

  await db.schema.alterTable('members').addColumn('dingtalk_mobile', 'text').execute();
  await db.schema.alterTable('members').addColumn('wecom_user_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropColumn('wecom_user_id').execute();
  await db.schema.alterTable('members').dropColumn('dingtalk_mobile').execute();
  await db.schema.dropTable('notification_deliveries').execute();
  await db.schema.dropTable('notification_channels').execute();
}
