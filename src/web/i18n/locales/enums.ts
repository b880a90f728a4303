/** Display names of every enum value that reaches the screen. */
export default {
  'zh-CN': {
    role: {
      admin: '管理员',
      manager: '销售经理',
      rep: '销售代表',
      finance: '财务',
      viewer: '只读用户',
    },
    tier: { senior: '资深', regular: '普通', new: '新人' },
    orgKind: { company: '公司', region: '大区', branch: '分公司', team: '团队' },
    position: { company: '销售总监', region: '大区经理', branch: '分公司经理', team: '团队主管' },
    customerTier: { A: 'A 类', B: 'B 类', C: 'C 类' },
    amountUnit: { yuan: '元', wan: '万元', yi: '亿元' },
    locale: { 'zh-CN': '简体中文', en: 'English' },
    dimension: { channel: '渠道', region: '区域', segment: '客户细分', customer_type: '客户类型' },
    dayKind: { workday: '工作日', weekend: '周末', holiday: '节假日', makeup: '调休上班' },
  },
  en: {
    role: {
      admin: 'Administrator',
      manager: 'Sales manager',
      rep: 'Sales rep',
      finance: 'Finance',
      viewer: 'Viewer',
    },
    tier: { senior: 'Senior', regular: 'Regular', new: 'New hire' },
    orgKind: { company: 'Company', region: 'Region', branch: 'Branch', team: 'Team' },
    position: {
      company: 'Sales director',
      region: 'Region manager',
      branch: 'Branch manager',
      team: 'Team lead',
    },
    customerTier: { A: 'Tier A', B: 'Tier B', C: 'Tier C' },
    amountUnit: { yuan: '¥ (yuan)', wan: '¥K (thousands)', yi: '¥M (millions)' },
    locale: { 'zh-CN': '简体中文', en: 'English' },
    dimension: {
      channel: 'Channel',
      region: 'Region',
      segment: 'Segment',
      customer_type: 'Customer type',
    },
    dayKind: {
      workday: 'Workday',
      weekend: 'Weekend',
      holiday: 'Holiday',
      makeup: 'Make-up workday',
    },
  },
};
