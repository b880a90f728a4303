export default {
  'zh-CN': {
    title: '我的目标',
    asOf: '数据截至 {{date}}',
    month: '本月 {{period}}',
    year: '本年 {{period}}',
    perDay: '剩余 {{n}} 个工作日，每天需完成',
    topTier: '已达最高档位，继续保持！',
    chart: '本月累计走势',
    noMember: '您的账号未关联销售人员，暂无个人目标。',
    own: '个人',
  },
  en: {
    title: 'My targets',
    asOf: 'Data as of {{date}}',
    month: 'This month {{period}}',
    year: 'This year {{period}}',
    perDay: 'Needed per working day ({{n}} left)',
    topTier: 'Top tier reached. Keep it up!',
    chart: 'This month, cumulative',
    noMember: 'Your account is not linked to a sales rep, so there are no personal targets.',
    own: 'Personal',
  },
};
