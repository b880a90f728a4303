import type { Locale } from '../api/context.ts';

/** Help texts, one per command, in both languages. Kept beside each other so they stay in step. */
const usage: Record<string, Record<Locale, string>> = {
  '': {
    en: `targetflow — Targetflow sales target management (销售目标管理系统)

Usage: targetflow <command> [options]

Commands:
  serve                         Migrate, seed the demo company on first start, and serve the app
  migrate                       Bring the database schema up to date
  seed-demo [--force]           Write the demo company "Galaxy Commerce" into an empty database
  user add --username … --password … --role …
                                Create a user account
  import <kind> <file> [--dry-run]
                                Import master data from a .csv or .xlsx file
  export <kind> <file>          Export master data to a .csv or .xlsx file

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
  migrate                       将数据库结构升级到最新版本
  seed-demo [--force]           向空数据库写入演示公司“星河电商”
  user add --username … --password … --role …
                                创建用户账号
  import <类型> <文件> [--dry-run]
                                从 .csv 或 .xlsx 文件导入主数据
  export <类型> <文件>           将主数据导出为 .csv 或 .xlsx 文件

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
Stops gracefully on Ctrl-C (SIGINT) or SIGTERM.
`,
    'zh-CN': `用法：targetflow serve

执行待处理的数据库迁移；若数据库中还没有用户，则写入演示公司并打印演示账号；
然后在 0.0.0.0:$PORT（默认 8080）上提供 API 和网页。按 Ctrl-C（SIGINT）或收到 SIGTERM 时平稳退出。
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
  --password       at least 8 characters with letters and digits
  --role           admin | manager | rep | finance | viewer
  --member-code    the salesperson this account belongs to (required for manager and rep)
  --display-name   shown in the app (default: the salesperson's name, else the username)
`,
    'zh-CN': `用法：targetflow user add --username 用户名 --password 密码 --role 角色 [--member-code 人员编码] [--display-name 显示名]

创建用户账号。

选项：
  --username       登录名
  --password       至少 8 位，且同时包含字母和数字
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
};

export function helpText(command: string, locale: Locale): string {
  return (usage[command] ?? usage[''])![locale];
}

export const commands = ['serve', 'migrate', 'seed-demo', 'user', 'import', 'export'] as const;
