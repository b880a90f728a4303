import type { Locale } from './translate.ts';

/**
 * Messages only the command line needs (usage mistakes, seeding refusals). They
 * live beside the shared catalogue so that their codes belong to the closed `ErrorCode` type,
 * but the server and the web app never show them.
 */
export const cliMessages = {
  CLI_UNKNOWN_COMMAND: {
    'zh-CN': '未知命令“{{command}}”，运行 targetflow --help 查看可用命令',
    en: 'Unknown command "{{command}}"; run targetflow --help to see the commands',
  },
  CLI_BAD_ARGS: {
    'zh-CN': '{{reason}}（运行 targetflow {{command}} --help 查看用法）',
    en: '{{reason}} (run targetflow {{command}} --help for usage)',
  },
  CLI_MISSING_OPTION: {
    'zh-CN': '缺少 --{{option}}（运行 targetflow {{command}} --help 查看用法）',
    en: 'Missing --{{option}} (run targetflow {{command}} --help for usage)',
  },
  CLI_MISSING_ARGUMENT: {
    'zh-CN': '缺少参数 {{argument}}（运行 targetflow {{command}} --help 查看用法）',
    en: 'Missing {{argument}} (run targetflow {{command}} --help for usage)',
  },
  CLI_EXTRA_ARGUMENT: {
    'zh-CN': '多余的参数“{{argument}}”（运行 targetflow {{command}} --help 查看用法）',
    en: 'Unexpected argument "{{argument}}" (run targetflow {{command}} --help for usage)',
  },
  CLI_MEMBER_REQUIRED: {
    'zh-CN': '角色 {{role}} 需要用 --member-code 关联一名销售人员',
    en: 'Role {{role}} needs a salesperson: pass --member-code',
  },
  CLI_USER_EXISTS: {
    'zh-CN': '用户名 {{username}} 已存在',
    en: 'The username {{username}} is taken',
  },
  CLI_SEED_HAS_DATA: {
    'zh-CN': '数据库中已有 {{count}} 条主数据，演示数据只能写入空库；未做任何更改',
    en: 'The database already holds {{count}} master-data records; the demo only goes into an empty one. Nothing changed',
  },
  CLI_SEED_HAS_USERS: {
    'zh-CN': '数据库中已有 {{count}} 个用户；如仍要加入演示公司，请加 --force（同名账号将被跳过）',
    en: 'The database already has {{count}} user(s); add --force to add the demo company anyway (existing usernames are skipped)',
  },
  CLI_PORT_IN_USE: {
    'zh-CN': '端口 {{port}} 已被占用（{{host}}），请用环境变量 PORT 换一个端口',
    en: 'Port {{port}} is already in use ({{host}}); choose another with the PORT environment variable',
  },
  CLI_FILE_NOT_FOUND: { 'zh-CN': '找不到文件：{{file}}', en: 'File not found: {{file}}' },
  CLI_EXPORT_FORMAT: {
    'zh-CN': '无法从文件名“{{file}}”判断格式，请使用 .csv 或 .xlsx',
    en: 'Cannot tell the format from "{{file}}"; use a .csv or .xlsx file name',
  },
  // Backup (targetflow backup)
  CLI_BACKUP_POSTGRES: {
    'zh-CN':
      'backup 只用于 SQLite；PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump -Fc -f 备份文件 "$DATABASE_URL"）',
    en: 'backup is for SQLite only; back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f FILE "$DATABASE_URL")',
  },
  CLI_BACKUP_EXISTS: {
    'zh-CN': '文件 {{file}} 已存在，备份不会覆盖它；请换一个文件名',
    en: 'The file {{file}} exists; a backup never overwrites one. Choose another name',
  },
} satisfies Record<string, Record<Locale, string>>;
