import { describe, expect, it } from 'vitest';
import {
  rateLimitWait,
  interpretReply,
  retryDelayMs,
  maskSecret,
} from '../../src/domain/notify/delivery-policy.ts';
import {
  absoluteLink,
  assembleDigest,
  renderDingtalk,
  renderWecom,
  type OutgoingMessage,
} from '../../src/domain/notify/render.ts';
import { utf8Bytes } from '../../src/domain/notify/split.ts';

const msg: OutgoingMessage = {
  text: {
    title: '华东大区 达成率预警',
    lines: ['- 达成率 **62.5%**，时间进度 75%', '- 差额 120.00万元'],
  },
  link: 'https://tf.example.com/?alert=12',
  severity: 'critical',
  locale: 'zh-CN',
};

describe('DingTalk markdown', () => {
  it('writes the @mobile into the text and the at list', () => {
    const [p, ...rest] = renderDingtalk(msg, { mobiles: ['13800000001'] });
    expect(rest).toEqual([]);
    expect(p!.title).toBe('华东大区 达成率预警');
    expect(p!.text).toBe(
      '### [严重] 华东大区 达成率预警\n\n- 达成率 **62.5%**，时间进度 75%\n- 差额 120.00万元\n[查看详情](https://tf.example.com/?alert=12)\n@13800000001',
    );
    expect(p!.atMobiles).toEqual(['13800000001']);
  });

  it('puts the keyword in when the message lacks it', () => {
    const [p] = renderDingtalk(msg, { keyword: '目标预警', mobiles: [] });
    expect(p!.text.startsWith('目标预警\n\n')).toBe(true);
    expect(p!.title).toBe('目标预警 华东大区 达成率预警');
    const [q] = renderDingtalk(msg, { keyword: '华东', mobiles: [] });
    expect(q!.title).toBe('华东大区 达成率预警');
  });

  it('splits a long message under 20,000 bytes, mentions on the last part only', () => {
    const long = {
      ...msg,
      text: { title: 'T', lines: Array.from({ length: 400 }, () => '甲'.repeat(40)) },
    };
    const parts = renderDingtalk(long, { mobiles: ['13800000001'] });
    expect(parts.length).toBe(3);
    for (const p of parts) expect(utf8Bytes(p.text)).toBeLessThanOrEqual(18_000);
    expect(parts.map((p) => p.atMobiles)).toEqual([[], [], ['13800000001']]);
    expect(parts[2]!.title).toBe('T (3/3)');
  });
});

describe('WeCom markdown', () => {
  it('colours the title by severity and mentions <@userid>', () => {
    expect(
      renderWecom(
        { ...msg, locale: 'en', severity: 'info', text: { title: 'East', lines: ['- a'] } },
        { userIds: ['zhangsan'] },
      ),
    ).toEqual([
      '**<font color="info">[Info] East</font>**\n- a\n[Open](https://tf.example.com/?alert=12)\n<@zhangsan>',
    ]);
    const parts = renderWecom(
      { ...msg, text: { title: 'T', lines: Array.from({ length: 100 }, () => '乙'.repeat(40)) } },
      { userIds: [] },
    );
    expect(parts.length).toBe(4);
    for (const p of parts) expect(utf8Bytes(p)).toBeLessThanOrEqual(4096);
    expect(parts[0]).toContain('<font color="warning">');
  });
});

describe('links, digest, pacing', () => {
  it('prefixes PUBLIC_URL, or sends the path', () => {
    expect(absoluteLink('https://a.b/', '/?alert=1')).toBe('https://a.b/?alert=1');
    expect(absoluteLink(null, '/?alert=1')).toBe('/?alert=1');
  });

  it('assembles the daily digest, critical first', () => {
    const d = assembleDigest(
      [
        { text: { title: 'A', lines: ['- x'] }, severity: 'info', link: '/a' },
        { text: { title: 'B', lines: [] }, severity: 'critical', link: null },
      ],
      'en',
      '2026-12-07',
    );
    expect(d).toEqual({
      title: 'Daily alert digest 2026-12-07 (2)',
      lines: ['- [Critical] **B**', '- [Info] **A** — x [Open](/a)'],
    });
  });

  it('never lets more than 20 sends into a minute', () => {
    const now = 1_000_000;
    expect(rateLimitWait([], now, 1)).toBe(0);
    const twenty = Array.from({ length: 20 }, (_, i) => now - 50_000 + i * 1000);
    // The oldest send leaves the window 10 s from now
    expect(rateLimitWait(twenty, now, 1)).toBe(10_000);
    // Three parts need the three oldest to leave
    expect(rateLimitWait(twenty, now, 3)).toBe(12_000);
    expect(rateLimitWait(twenty.slice(0, 17), now, 3)).toBe(0);
    // Sends older than a minute do not count
    expect(
      rateLimitWait(
        twenty.map((t) => t - 60_000),
        now,
        1,
      ),
    ).toBe(0);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });

  it('HTTP 200 with errcode ≠ 0 is a failure', () => {
    expect(interpretReply('dingtalk', 200, '{"errcode":0,"errmsg":"ok"}').ok).toBe(true);
    expect(interpretReply('dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual(
      {
        ok: false,
        errcode: 310000,
        errmsg: 'sign not match',
      },
    );
    expect(interpretReply('wecom', 200, 'not json').ok).toBe(false);
    expect(interpretReply('webhook', 204, '').ok).toBe(true);
    expect(interpretReply('webhook', 500, '').ok).toBe(false);
  });

  it('masks secrets', () => {
    expect(maskSecret('SEC1234567890abcd')).toBe('••••abcd');
    expect(maskSecret('short')).toBe('••••');
    expect(maskSecret(null)).toBeNull();
  });
});
