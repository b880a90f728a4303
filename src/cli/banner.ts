import { DEMO_PASSWORD, demoLogins } from '../app/seed-demo/demo-logins.ts';
import { box, columns } from './text-box.ts';

/** Both languages at once: whoever reads the console, and whoever they send a screenshot to. */
export function demoLoginLines(): string[] {
  return [
    `演示账号 Demo logins — 密码 password: ${DEMO_PASSWORD}`,
    ...columns([
      ['用户名 username', '角色 role', '说明 who'],
      ...demoLogins.map((l) => [l.username, l.role, `${l.zh} · ${l.en}`]),
    ]),
  ];
}

export function serveBanner(opts: {
  url: string;
  listen: string;
  database: string;
  showLogins: boolean;
}): string {
  const lines = [
    'Targetflow 销售目标管理系统',
    `已启动 Running at  ${opts.url}`,
    `监听 Listening on  ${opts.listen}`,
    `数据库 Database    ${opts.database}`,
  ];
  if (opts.showLogins) lines.push('', ...demoLoginLines());
  lines.push('', '按 Ctrl-C 停止 · Press Ctrl-C to stop');
  return box(lines);
}

export function loginsBox(): string {
  return box(demoLoginLines());
}
