import type { Locale } from '../app/actor.ts';

/** Help texts, one per command, in both languages. Kept beside each other so they stay in step. */
const usage: Record<string, Record<Locale, string>> = {
  '': {
    en: `targetflow — Targetflow sales target management (销售目标管理系统)

Usage: targetflow <command> [options]

Commands:
  serve                         Migrate, seed the demo company on first start, and serve the app
  worker                        Run background jobs only (imports, recurring jobs, notifications)
  migrate                       Bring the database schema up to date
  seed-demo [--force]           Write the demo company "Galaxy Commerce" into an empty database
  user add --username … --password … --role …
                                Create a user account
  import <kind> <file> [--dry-run]
                                Import master data from a .csv or .xlsx file
  export <kind> <file>          Export master data to a .csv or .xlsx file
  facts import <kind> <file>… [--mode apply-valid] [--create-missing customers,products] [--mapping NAME]
                                Import orders, collections, leads, opportunities or activities
  facts delete-batch <id>       Remove the rows a fact import batch wrote
  rollups verify | rebuild      Check the sales rollups against the facts, or rebuild them
  backup <file>                 Copy the SQLite database to a file, also while the app runs
  alerts evaluate [--as-of DATE]
                                Evaluate the alert rules for the whole company (backfill with a past day)

Run targetflow <command> --help (or targetflow help <command>) for a command's options.

Environment:
  DATABASE_URL        postgres://… to use PostgreSQL; otherwise SQLite
  TARGETFLOW_DB_FILE  SQLite file (default data/targetflow.sqlite)
  PORT                port for serve (default 8080)
  LANG                messages in Chinese when it starts with "zh", English otherwise
`,
    'zh-CN': `targetflow — 销售目标管理系统（Targetflow）

用法：targetflow <命令> [选项]

命令：
  serve                         升级数据库、首次启动时生成演示公司，并启动服务
  worker                        只运行后台任务（导入、定时任务、通知）
  migrate                       将数据库结构升级到最新版本
  seed-demo [--force]           向空数据库写入演示公司“星河电商”
  user add --username … --password … --role …
                                创建用户账号
  import <类型> <文件> [--dry-run]
                                从 .csv 或 .xlsx 文件导入主数据
  export <类型> <文件>           将主数据导出为 .csv 或 .xlsx 文件
  facts import <类型> <文件>… [--mode apply-valid] [--create-missing customers,products] [--mapping 名称]
                                导入订单、回款、线索、商机或活动
  facts delete-batch <批次号>    删除某个业务数据导入批次写入的行
  rollups verify | rebuild      核对销售汇总表与明细，或重建汇总表
  backup <文件>                 将 SQLite 数据库复制到文件（服务运行时也可）
  alerts evaluate [--as-of 日期]
                                按预警规则评估全公司（指定过去的日期可补算）

运行 targetflow <命令> --help（或 targetflow help <命令>）查看该命令的选项。

环境变量：
  DATABASE_URL        以 postgres:// 开头时使用 PostgreSQL，否则使用 SQLite
  TARGETFLOW_DB_FILE  SQLite 数据库文件（默认 data/targetflow.sqlite）
  PORT                serve 监听的端口（默认 8080）
  LANG                以 zh 开头时输出中文，否则输出英文
`,
  },
  serve: {
    en: `Usage: targetflow serve

Applies pending migrations; when the database has no users, writes the demo company and prints
its logins; then serves the API and the web app on 0.0.0.0:$PORT (default 8080).
Also runs background jobs (TARGETFLOW_WORKER=off serves HTTP only; run targetflow worker
elsewhere). Stops gracefully on Ctrl-C (SIGINT) or SIGTERM: no new connections, requests in
flight and running jobs get TARGETFLOW_SHUTDOWN_MS (default 10000) to finish, unfinished jobs go
back to the queue, then the database closes.
`,
    'zh-CN': `用法：targetflow serve

执行待处理的数据库迁移；若数据库中还没有用户，则写入演示公司并打印演示账号；
然后在 0.0.0.0:$PORT（默认 8080）上提供 API 和网页，并运行后台任务（TARGETFLOW_WORKER=off
时只提供 HTTP，另行运行 targetflow worker）。按 Ctrl-C（SIGINT）或收到 SIGTERM 时平稳退出：不再接受
新连接，进行中的请求和任务有 TARGETFLOW_SHUTDOWN_MS（默认 10000）毫秒完成，未完成的任务退回队列，
然后关闭数据库。
`,
  },
  worker: {
    en: `Usage: targetflow worker

Runs background jobs without serving HTTP: fact imports queued by any instance, recurring jobs
(once per slot across all instances) and outbox deliveries. Any number of workers and servers may
share one PostgreSQL database. Stops gracefully on SIGINT or SIGTERM (running jobs finish within
TARGETFLOW_SHUTDOWN_MS or go back to the queue).
`,
    'zh-CN': `用法：targetflow worker

只运行后台任务，不提供 HTTP：任一实例排队的实际数据导入、定时任务（所有实例中每个时段只运行一次）和
事件投递。多个 worker 和服务可以共用一个 PostgreSQL 数据库。收到 SIGINT 或 SIGTERM 时平稳退出
（运行中的任务在 TARGETFLOW_SHUTDOWN_MS 毫秒内完成，否则退回队列）。
`,
  },
  migrate: {
    en: `Usage: targetflow migrate

Applies every pending migration. Running it again is harmless.
`,
    'zh-CN': `用法：targetflow migrate

执行所有待处理的数据库迁移，可重复运行。
`,
  },
  'seed-demo': {
    en: `Usage: targetflow seed-demo [--force] [--today YYYY-MM-DD]

Writes the demo company "星河电商 / Galaxy Commerce" (org chart, 65 salespeople, products,
channels, 300 customers, demo logins). Only into a database without master data; it never
overwrites anything.

Options:
  --force              also when user accounts exist (demo accounts with a taken username are skipped)
  --today YYYY-MM-DD   build the demo around this day (default: today)
`,
    'zh-CN': `用法：targetflow seed-demo [--force] [--today YYYY-MM-DD]

写入演示公司“星河电商 / Galaxy Commerce”（组织架构、65 名销售人员、产品、渠道、300 个客户和演示账号）。
只写入没有主数据的数据库，不会覆盖任何数据。

选项：
  --force              即使已有用户账号也写入（同名的演示账号将被跳过）
  --today YYYY-MM-DD   以该日期为“今天”生成演示数据（默认今天）
`,
  },
  user: {
    en: `Usage: targetflow user add --username NAME --password PASS --role ROLE [--member-code CODE] [--display-name NAME]

Creates a user account.

Options:
  --username       sign-in name
  --password       at least 8 characters with letters and digits, not a common password
  --role           admin | manager | rep | finance | viewer
  --member-code    the salesperson this account belongs to (required for manager and rep)
  --display-name   shown in the app (default: the salesperson's name, else the username)
`,
    'zh-CN': `用法：targetflow user add --username 用户名 --password 密码 --role 角色 [--member-code 人员编码] [--display-name 显示名]

创建用户账号。

选项：
  --username       登录名
  --password       至少 8 位，且同时包含字母和数字，不能是常见密码
  --role           admin | manager | rep | finance | viewer
  --member-code    账号对应的销售人员编码（manager 和 rep 必填）
  --display-name   界面上显示的名字（默认取销售人员姓名，否则为用户名）
`,
  },
  import: {
    en: `Usage: targetflow import <kind> <file> [--dry-run]

Imports master data (e.g. members, products, customers) from a .csv or .xlsx file. The whole
file is checked first; if any row is wrong nothing is saved and every problem is listed with
its row and column.

Options:
  --dry-run   check the file and report what would change, without saving

Kinds: org-units, members, product-lines, products, channels, regions, segments,
       customer-types, customers
`,
    'zh-CN': `用法：targetflow import <类型> <文件> [--dry-run]

从 .csv 或 .xlsx 文件导入主数据（如人员、产品、客户）。先校验整个文件；只要有一行出错就不保存，
并逐条列出出错的行和列。

选项：
  --dry-run   只校验并报告将发生的变化，不保存

类型：org-units, members, product-lines, products, channels, regions, segments,
      customer-types, customers
`,
  },
  export: {
    en: `Usage: targetflow export <kind> <file>

Exports master data of one kind to a file; the format follows the extension (.csv or .xlsx).
The file imports back unchanged.

Kinds: org-units, members, product-lines, products, channels, regions, segments,
       customer-types, customers
`,
    'zh-CN': `用法：targetflow export <类型> <文件>

将某类主数据导出到文件；格式由扩展名决定（.csv 或 .xlsx）。导出的文件可原样再导入。

类型：org-units, members, product-lines, products, channels, regions, segments,
      customer-types, customers
`,
  },
  facts: {
    en: `Usage: targetflow facts import <kind> <file>… [--mode apply-valid] [--create-missing customers,products] [--mapping NAME] [--dry-run]
       targetflow facts delete-batch <id>

import: reads a .csv (UTF-8 or GBK) or .xlsx file of facts. Rows are keyed by their external id:
re-importing a file changes nothing, a corrected row is updated. Each row is credited to the unit
its owner belonged to on the row's date. Long files print progress on stderr. Several files are
imported one after another, each its own batch (a large one is read and checked while the one
before it is written); the first file that fails stops the run.

Options:
  --mode apply-valid        apply the good rows; write the bad ones to <file>.problems.csv
                            (default all-or-nothing: any problem saves nothing)
  --create-missing LIST     create unknown customers and/or products instead of refusing the rows
  --mapping NAME            use a saved column mapping (from the web app) for this kind
  --dry-run                 check and count, save nothing

delete-batch: removes the rows that batch last wrote and their contribution to the rollups.

Kinds: orders, collections, leads, opportunities, activities
`,
    'zh-CN': `用法：targetflow facts import <类型> <文件>… [--mode apply-valid] [--create-missing customers,products] [--mapping 名称] [--dry-run]
      targetflow facts delete-batch <批次号>

import：读取 .csv（UTF-8 或 GBK）或 .xlsx 业务数据文件。每行以外部编号为键：重复导入不会重复计算，
更正的行会被更新。每行按负责人在该行日期所属的组织归属业绩。大文件会在 stderr 显示进度。
可一次导入多个文件，按顺序逐个导入、各为一个批次（写入当前文件时已在读取校验下一个大文件）；
某个文件失败即停止。

选项：
  --mode apply-valid        导入正确的行，出错的行写入 <文件>.problems.csv（默认全部正确才导入）
  --create-missing 列表     自动创建不存在的客户和/或产品（customers,products）
  --mapping 名称            使用已保存的列映射
  --dry-run                 只校验并计数，不保存

delete-batch：删除该批次最后写入的行，并从汇总表中扣除。

类型：orders, collections, leads, opportunities, activities
`,
  },
  rollups: {
    en: `Usage: targetflow rollups verify | rebuild

verify   compares the day and month sales rollups with a recomputation from the order lines;
         exits 1 and lists every difference when they disagree
rebuild  recomputes both rollups from the order lines
`,
    'zh-CN': `用法：targetflow rollups verify | rebuild

verify   将日、月销售汇总表与按订单明细重新计算的结果比较；不一致时列出差异并以 1 退出
rebuild  按订单明细重建两张汇总表
`,
  },
  backup: {
    en: `Usage: targetflow backup <file>

Copies the SQLite database (TARGETFLOW_DB_FILE) to <file>, consistently, also while the app is
running: SQLite's online backup. The schema is not migrated first, so a backup taken before an
upgrade holds the database the old version ran on. An existing <file> is never overwritten.

To restore: stop the app, replace the database file with the backup (and delete the old file's
-wal and -shm companions), start the app.

PostgreSQL (DATABASE_URL): use pg_dump, e.g. pg_dump -Fc -f <file> "$DATABASE_URL".
`,
    'zh-CN': `用法：targetflow backup <文件>

将 SQLite 数据库（TARGETFLOW_DB_FILE）复制到 <文件>；使用 SQLite 在线备份，服务运行时备份也保持一致。
备份前不执行数据库迁移，因此升级前做的备份就是旧版本使用的数据库。不会覆盖已存在的文件。

恢复：停止服务，用备份文件替换数据库文件（并删除旧文件旁的 -wal 和 -shm 文件），再启动服务。

PostgreSQL（DATABASE_URL）：请用 pg_dump，例如 pg_dump -Fc -f <文件> "$DATABASE_URL"。
`,
  },
  alerts: {
    en: `Usage: targetflow alerts evaluate [--as-of YYYY-MM-DD]

Evaluates every enabled alert rule for the whole company as of a day (default: today in China),
as the daily job does: alerts open, resolve or report a changed verdict, each change announced
once. A past day backfills: closed periods re-fire only when the numbers changed the verdict.
`,
    'zh-CN': `用法：targetflow alerts evaluate [--as-of YYYY-MM-DD]

按所有已启用的预警规则评估全公司（默认以中国时间的今天为准），与每日定时任务相同：预警被打开、解除，
或报告结论变化，每次变化只通知一次。指定过去的日期可补算：已结束的期间只有在数据改变结论时才会再次触发。
`,
  },
};

export function helpText(command: string, locale: Locale): string {
  return (usage[command] ?? usage[''])![locale];
}

export const commands = [
  'serve',
  'worker',
  'migrate',
  'seed-demo',
  'user',
  'import',
  'export',
  'facts',
  'rollups',
  'backup',
  'alerts',
] as const;
