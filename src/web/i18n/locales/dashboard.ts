export default {
  'zh-CN': {
    welcome: '欢迎回来，{{name}}',
    intro: '目标的设定、分解与业绩跟踪都从这里开始；预警、调整审批、复盘、激励与报告即将上线。',
    role: '角色',
    scope: '数据范围',
    scopeAll: '全公司',
    scopeUnits: '{{units}}',
    scopeOwn: '仅本人',
    quickLinks: '快捷入口',
    month: '本月进度 {{period}}',
    openTracking: '业绩跟踪',
    cycle: '设定 → 分解 → 执行追踪 → 预警辅导 → 调整 → 复盘',
  },
  en: {
    welcome: 'Welcome back, {{name}}',
    intro:
      'Set, decompose and track your targets from here; alerts, adjustment approvals, reviews, incentives and reports are coming next.',
    role: 'Role',
    scope: 'Data scope',
    scopeAll: 'Whole company',
    scopeUnits: '{{units}}',
    scopeOwn: 'Own records only',
    quickLinks: 'Quick links',
    month: 'This month {{period}}',
    openTracking: 'Open tracking',
    cycle: 'Set → Decompose → Track → Alert → Adjust → Review',
  },
};
