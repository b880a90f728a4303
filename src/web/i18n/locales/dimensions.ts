export default {
  'zh-CN': {
    title: '维度',
    intro: '渠道、区域、客户细分和客户类型用于目标的业务维度分解与客户归类。',
    createTitle: '新增{{dimension}}',
    editTitle: '编辑{{dimension}}',
    attrs: '属性',
    channelKind: '渠道类型',
    monthlyLeadSupply: '每月线索供给上限',
    maturity: '市场成熟度',
    channelKinds: { online: '线上', offline: '线下', partner: '合作伙伴' },
    maturities: { mature: '成熟市场', emerging: '新兴市场' },
    empty: '暂无{{dimension}}',
  },
  en: {
    title: 'Dimensions',
    intro:
      'Channels, regions, segments and customer types split targets by business line and classify customers.',
    createTitle: 'New {{dimension}}',
    editTitle: 'Edit {{dimension}}',
    attrs: 'Attributes',
    channelKind: 'Channel kind',
    monthlyLeadSupply: 'Monthly lead supply',
    maturity: 'Market maturity',
    channelKinds: { online: 'Online', offline: 'Offline', partner: 'Partner' },
    maturities: { mature: 'Mature', emerging: 'Emerging' },
    empty: 'No {{dimension}} yet',
  },
};
