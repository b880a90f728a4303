import type { Dimension } from '../../db/schema.ts';
import { demoRegions } from './org.ts';

export interface PlanProductLine {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

export interface PlanProduct {
  code: string;
  nameZh: string;
  nameEn: string;
  lineCode: string;
  grossMarginBp: number;
  /** Fen. */
  listPrice: number;
}

export interface PlanDimension {
  dimension: Dimension;
  code: string;
  nameZh: string;
  nameEn: string;
  attrs: Record<string, string | number>;
  sortOrder: number;
}

/** [code, zh, en, gross margin bp, list price in yuan] */
type ProductRow = readonly [string, string, string, number, number];
type SubLine = readonly [code: string, zh: string, en: string, products: readonly ProductRow[]];
type Line = readonly [code: string, zh: string, en: string, subLines: readonly SubLine[]];

/**
 * Five lines with distinct margins, because the method weights decomposition toward high gross
 * margin: appliances sell volume at thin margins, services and beauty carry the profit.
 */
const lines: readonly Line[] = [
  [
    'APPL',
    '智能家电',
    'Smart appliances',
    [
      [
        'APPL-KIT',
        '厨房电器',
        'Kitchen appliances',
        [
          ['P101', '智能电饭煲', 'Smart rice cooker', 2200, 399],
          ['P102', '破壁料理机', 'High-speed blender', 2400, 699],
          ['P103', '空气炸锅', 'Air fryer', 2600, 459],
          ['P104', '嵌入式洗碗机', 'Built-in dishwasher', 1800, 3999],
        ],
      ],
      [
        'APPL-CLN',
        '清洁电器',
        'Cleaning appliances',
        [
          ['P111', '扫地机器人', 'Robot vacuum', 2100, 2499],
          ['P112', '无线吸尘器', 'Cordless vacuum', 2500, 1599],
          ['P113', '洗地机', 'Wet-dry floor washer', 2300, 2999],
        ],
      ],
      [
        'APPL-AIR',
        '环境电器',
        'Climate appliances',
        [
          ['P121', '空气净化器', 'Air purifier', 2700, 1899],
          ['P122', '加湿器', 'Humidifier', 3000, 299],
          ['P123', '新风机', 'Fresh-air ventilator', 1900, 3599],
        ],
      ],
    ],
  ],
  [
    'DIGI',
    '数码配件',
    'Digital accessories',
    [
      [
        'DIGI-CHG',
        '充电设备',
        'Charging',
        [
          ['P201', '氮化镓快充', 'GaN fast charger', 3800, 199],
          ['P202', '移动电源', 'Power bank', 3200, 149],
          ['P203', '无线充电板', 'Wireless charging pad', 4000, 129],
        ],
      ],
      [
        'DIGI-AUD',
        '音频设备',
        'Audio',
        [
          ['P211', '真无线耳机', 'True wireless earbuds', 3500, 499],
          ['P212', '蓝牙音箱', 'Bluetooth speaker', 3300, 359],
          ['P213', '头戴式降噪耳机', 'Noise-cancelling headphones', 3000, 1299],
        ],
      ],
      [
        'DIGI-PRT',
        '保护配件',
        'Protective accessories',
        [
          ['P221', '手机壳', 'Phone case', 4500, 59],
          ['P222', '钢化膜', 'Tempered-glass protector', 4800, 39],
          ['P223', '平板保护套', 'Tablet cover', 4200, 129],
        ],
      ],
    ],
  ],
  [
    'HOME',
    '家居日用',
    'Home goods',
    [
      [
        'HOME-BED',
        '床品家纺',
        'Bedding & textiles',
        [
          ['P301', '全棉四件套', 'Cotton bedding set', 4200, 499],
          ['P302', '乳胶枕', 'Latex pillow', 4600, 259],
          ['P303', '蚕丝被', 'Silk quilt', 3800, 1299],
        ],
      ],
      [
        'HOME-STO',
        '收纳整理',
        'Storage & organising',
        [
          ['P311', '收纳箱', 'Storage box', 4800, 89],
          ['P312', '衣柜收纳架', 'Wardrobe organiser', 4400, 159],
        ],
      ],
      [
        'HOME-KIT',
        '厨具餐具',
        'Kitchen & dining',
        [
          ['P321', '不粘锅套装', 'Non-stick cookware set', 3600, 599],
          ['P322', '陶瓷餐具套装', 'Ceramic dinnerware set', 4000, 329],
          ['P323', '保温杯', 'Insulated bottle', 4500, 149],
        ],
      ],
    ],
  ],
  [
    'BEAU',
    '美妆个护',
    'Beauty & care',
    [
      [
        'BEAU-SKN',
        '护肤',
        'Skincare',
        [
          ['P401', '修护精华液', 'Repair serum', 6500, 399],
          ['P402', '保湿面霜', 'Moisturising cream', 6200, 459],
          ['P403', '防晒霜', 'Sunscreen', 6000, 169],
        ],
      ],
      [
        'BEAU-MKP',
        '彩妆',
        'Make-up',
        [
          ['P411', '口红', 'Lipstick', 6300, 259],
          ['P412', '粉底液', 'Liquid foundation', 5800, 329],
        ],
      ],
      [
        'BEAU-DEV',
        '个护电器',
        'Personal-care devices',
        [
          ['P421', '电动牙刷', 'Electric toothbrush', 4500, 299],
          ['P422', '高速吹风机', 'High-speed hair dryer', 4000, 599],
          ['P423', '射频美容仪', 'RF beauty device', 5500, 1999],
        ],
      ],
    ],
  ],
  [
    'SERV',
    '企业服务',
    'Enterprise services',
    [
      [
        'SERV-PRC',
        '企业采购',
        'Corporate procurement',
        [
          ['P501', '员工福利礼包', 'Employee gift box', 2800, 300],
          ['P502', '办公用品套餐', 'Office supplies bundle', 2500, 800],
        ],
      ],
      [
        'SERV-OPS',
        '店铺代运营',
        'Store operations',
        [
          ['P511', '店铺代运营（年）', 'Store operations (annual)', 6500, 120000],
          ['P512', '直播代播服务（月）', 'Live-stream hosting (monthly)', 6000, 30000],
        ],
      ],
      [
        'SERV-SAAS',
        'SaaS 工具',
        'SaaS tools',
        [
          ['P521', '电商 ERP（年）', 'E-commerce ERP (annual)', 7500, 19800],
          ['P522', '智能客服系统（年）', 'AI customer service (annual)', 7200, 9800],
        ],
      ],
    ],
  ],
];

export function buildDemoCatalog(): { productLines: PlanProductLine[]; products: PlanProduct[] } {
  const productLines: PlanProductLine[] = [];
  const products: PlanProduct[] = [];
  lines.forEach(([code, zh, en, subs], i) => {
    productLines.push({ code, parentCode: null, nameZh: zh, nameEn: en, sortOrder: i + 1 });
    subs.forEach(([subCode, subZh, subEn, rows], j) => {
      productLines.push({
        code: subCode,
        parentCode: code,
        nameZh: subZh,
        nameEn: subEn,
        sortOrder: j + 1,
      });
      for (const [pCode, pZh, pEn, marginBp, yuan] of rows) {
        products.push({
          code: pCode,
          nameZh: pZh,
          nameEn: pEn,
          lineCode: subCode,
          grossMarginBp: marginBp,
          listPrice: yuan * 100,
        });
      }
    });
  });
  return { productLines, products };
}

/** Top-level product line codes, in order (history is generated per line). */
export const demoProductLineCodes: readonly string[] = lines.map(([code]) => code);

/**
 * Channels carry what funnel back-calculation needs (METHOD §2): how many qualified leads the
 * channel supplies a month and its lead→deal conversion (own traffic 10%, third-party 2%).
 */
export function buildDemoDimensions(): PlanDimension[] {
  const out: PlanDimension[] = [];
  const add = (
    dimension: Dimension,
    rows: readonly (readonly [string, string, string, Record<string, string | number>])[],
  ) =>
    rows.forEach(([code, nameZh, nameEn, attrs], i) =>
      out.push({ dimension, code, nameZh, nameEn, attrs, sortOrder: i + 1 }),
    );
  // Lead supply sized to the company: ≈ 5,800 qualified leads a month, ≈ 7.5% of them becoming
  // deals — about what the plan's number needs, so the funnel lens tells the same story as the others.
  add('channel', [
    [
      'OWN',
      '自有流量',
      'Own traffic',
      { kind: 'online', monthlyLeadSupply: 1500, leadToDealBp: 1200 },
    ],
    [
      'PLATFORM',
      '第三方平台',
      'Third-party platforms',
      { kind: 'online', monthlyLeadSupply: 2400, leadToDealBp: 400 },
    ],
    [
      'LIVE',
      '直播带货',
      'Live commerce',
      { kind: 'online', monthlyLeadSupply: 1500, leadToDealBp: 600 },
    ],
    [
      'DIST',
      '渠道分销',
      'Distributors',
      { kind: 'partner', monthlyLeadSupply: 400, leadToDealBp: 1800 },
    ],
  ]);
  add(
    'region',
    demoRegions.map(
      (r) =>
        [
          r.code,
          `${r.short[0]}区域`,
          `${r.short[1]} China`.replace('West China', 'Western China'),
          { maturity: r.maturity },
        ] as const,
    ),
  );
  add('segment', [
    ['KA', '大客户', 'Key account', {}],
    ['SMB', '中小企业', 'SMB', {}],
    ['CONSUMER', '个人消费者', 'Consumer', {}],
  ]);
  add('customer_type', [
    ['RETAIL', '零售商', 'Retailer', {}],
    ['DISTRIB', '经销商', 'Distributor', {}],
    ['CORP', '企业采购', 'Corporate buyer', {}],
    ['MERCHANT', '平台商家', 'Platform merchant', {}],
    ['VIP', 'VIP 个人会员', 'VIP individual member', {}],
  ]);
  return out;
}
