import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NotifyReceiver } from '../support/notify-receiver.ts';
import { login, screenshotDir, useDemoBrowser } from './support/server.ts';

// The robots' API hosts point at a receiver on 127.0.0.1: a browser test never calls DingTalk.
const rx = new NotifyReceiver();
beforeAll(async () => {
  await rx.start();
  rx.dingtalkRobots.set('replace-with-the-robot-access-token', null);
  rx.wecomKeys.add('e2e-wecom-key-0001');
  process.env.NOTIFY_DINGTALK_BASE = rx.base;
  process.env.NOTIFY_WECOM_BASE = rx.base;
});
afterAll(async () => {
  await rx.stop();
  delete process.env.NOTIFY_DINGTALK_BASE;
  delete process.env.NOTIFY_WECOM_BASE;
});

const e2e = useDemoBrowser();

it('an admin tests the example DingTalk channel, adds a WeCom robot with a masked key, and reads the log — in both languages and on a phone', async () => {
  const context = await e2e.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await login(page, e2e.server.url, 'admin');

  // When the admin opens 通知渠道 from the menu
  await page.getByTestId('menu-notifyChannels').click();
  const table = page.getByTestId('channels-table');
  await table.waitFor();
  // Then the demo's example channel is there, disabled
  await expect.poll(() => table.innerText()).toContain('华东销售群（示例）');
  expect(await table.innerText()).toContain('已停用');

  // When they send a test message to it
  const id = (
    await e2e.server.conn.db
      .selectFrom('notification_channels')
      .select('id')
      .executeTakeFirstOrThrow()
  ).id;
  await page.getByTestId(`channel-test-${id}`).click();
  // Then the raw reply of the robot is shown, and the robot got the keyword in the message
  const reply = page.getByTestId('test-reply');
  await reply.waitFor();
  expect(await reply.innerText()).toContain('{"errcode":0,"errmsg":"ok"}');
  expect(rx.received.at(-1)!.json.markdown.text).toContain('目标预警');
  await page.waitForTimeout(500); // the modal's opening animation, for the screenshot only
  await page.screenshot({ path: join(screenshotDir, 'notify-test-reply-zh.png') });
  await page.getByTestId('test-reply-close').click();

  // When they add a WeCom robot for the whole company
  await page.getByTestId('channel-add').click();
  const form = page.getByTestId('channel-form');
  await form.waitFor();
  await form.getByText('企业微信群机器人').click();
  await page.getByTestId('channel-name').fill('全公司企业微信群');
  await page.getByTestId('channel-token').fill('e2e-wecom-key-0001');
  await page
    .getByRole('button', { name: '保 存' })
    .or(page.getByRole('button', { name: '保存' }))
    .click();
  await expect.poll(() => table.innerText()).toContain('全公司企业微信群');
  // Then the key is never sent back to the browser
  const list = await page.request.get(`${e2e.server.url}/api/notify/channels`);
  expect(await list.text()).not.toContain('e2e-wecom-key-0001');
  // And editing shows it only masked
  const row = page.getByRole('row', { name: /全公司企业微信群/ });
  await row
    .getByRole('button', { name: '编 辑' })
    .or(row.getByRole('button', { name: '编辑' }))
    .click();
  await expect
    .poll(() => page.getByTestId('channel-form').innerText())
    .toContain('已设置（••••0001）');
  expect(await page.getByTestId('channel-token').inputValue()).toBe('');
  await page.waitForTimeout(500); // the modal's opening animation, for the screenshot only
  await page.screenshot({ path: join(screenshotDir, 'notify-form-zh.png') });
  await page
    .getByRole('button', { name: '取 消' })
    .or(page.getByRole('button', { name: '取消' }))
    .click();

  // And the delivery log lists the test message
  await expect.poll(() => page.getByTestId('delivery-log').innerText()).toContain('测试消息');

  // Given the sender disabled the WeCom channel after five refusals in a row
  await e2e.server.conn.db
    .updateTable('notification_channels')
    .set({
      enabled: 0,
      consecutive_failures: 5,
      disabled_reason: '5 failures in a row; last: errcode 93000: invalid webhook url',
    })
    .where('name', '=', '全公司企业微信群')
    .execute();
  // Then the page shows it in red with the reason
  await page.reload();
  await expect
    .poll(() => page.getByTestId('channels-auto-disabled').innerText())
    .toContain('全公司企业微信群: 5 failures in a row; last: errcode 93000');
  expect(await page.getByTestId('channels-table').innerText()).toContain('已自动停用');
  await page.screenshot({ path: join(screenshotDir, 'notify-zh.png'), fullPage: true });

  // In English
  await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, { data: { locale: 'en' } });
  await page.reload();
  await expect
    .poll(() => page.getByTestId('channels-table').innerText())
    .toContain('Whole company');
  await expect.poll(() => page.getByTestId('delivery-log').innerText()).toContain('Sent');
  await page.waitForTimeout(500); // the loading veil's fade, for the screenshot only
  await page.screenshot({ path: join(screenshotDir, 'notify-en.png'), fullPage: true });
  await page.request.put(`${e2e.server.url}/api/auth/me/preferences`, {
    data: { locale: 'zh-CN' },
  });

  // On a phone the tables scroll sideways
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect.poll(() => page.getByTestId('channels-table').innerText()).toContain('全公司');
  await expect.poll(() => page.getByTestId('delivery-log').innerText()).toContain('测试消息');
  await page.screenshot({ path: join(screenshotDir, 'notify-phone.png'), fullPage: true });
});
