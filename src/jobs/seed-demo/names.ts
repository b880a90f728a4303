/** Bilingual name parts for the demo company. English names use pinyin, family name first. */
export type NamePart = readonly [zh: string, en: string];

export const familyNames: readonly NamePart[] = [
  ['张', 'Zhang'], ['王', 'Wang'], ['李', 'Li'], ['刘', 'Liu'], ['陈', 'Chen'], ['杨', 'Yang'],
  ['赵', 'Zhao'], ['黄', 'Huang'], ['周', 'Zhou'], ['吴', 'Wu'], ['徐', 'Xu'], ['孙', 'Sun'],
  ['胡', 'Hu'], ['朱', 'Zhu'], ['高', 'Gao'], ['林', 'Lin'], ['何', 'He'], ['郭', 'Guo'],
  ['马', 'Ma'], ['罗', 'Luo'], ['梁', 'Liang'], ['宋', 'Song'], ['郑', 'Zheng'], ['谢', 'Xie'],
];

export const givenNames: readonly NamePart[] = [
  ['伟', 'Wei'], ['芳', 'Fang'], ['娜', 'Na'], ['敏', 'Min'], ['静', 'Jing'], ['丽', 'Li'],
  ['强', 'Qiang'], ['磊', 'Lei'], ['洋', 'Yang'], ['艳', 'Yan'], ['勇', 'Yong'], ['军', 'Jun'],
  ['杰', 'Jie'], ['娟', 'Juan'], ['涛', 'Tao'], ['明', 'Ming'], ['超', 'Chao'], ['秀英', 'Xiuying'],
  ['霞', 'Xia'], ['平', 'Ping'], ['刚', 'Gang'], ['浩然', 'Haoran'], ['婷', 'Ting'], ['宇航', 'Yuhang'],
  ['欣怡', 'Xinyi'], ['子涵', 'Zihan'], ['晨', 'Chen'], ['佳琪', 'Jiaqi'], ['志强', 'Zhiqiang'], ['雪', 'Xue'],
];

/** Cities per org region code, for customer names. */
export const citiesByRegion: Readonly<Record<string, readonly NamePart[]>> = {
  EAST: [['上海', 'Shanghai'], ['杭州', 'Hangzhou'], ['南京', 'Nanjing'], ['苏州', 'Suzhou'], ['宁波', 'Ningbo']],
  SOUTH: [['广州', 'Guangzhou'], ['深圳', 'Shenzhen'], ['厦门', 'Xiamen'], ['福州', 'Fuzhou'], ['东莞', 'Dongguan']],
  NORTH: [['北京', 'Beijing'], ['天津', 'Tianjin'], ['济南', 'Jinan'], ['青岛', 'Qingdao'], ['石家庄', 'Shijiazhuang']],
  WEST: [['成都', 'Chengdu'], ['重庆', 'Chongqing'], ['西安', "Xi'an"], ['昆明', 'Kunming'], ['贵阳', 'Guiyang']],
};

/** Made-up trade names (字号); none is meant to be a real company. */
export const tradeNames: readonly NamePart[] = [
  ['鑫源', 'Xinyuan'], ['恒泰', 'Hengtai'], ['嘉禾', 'Jiahe'], ['瑞丰', 'Ruifeng'], ['德润', 'Derun'],
  ['星耀', 'Xingyao'], ['汇通', 'Huitong'], ['博远', 'Boyuan'], ['锦程', 'Jincheng'], ['启航', 'Qihang'],
  ['天润', 'Tianrun'], ['佳品', 'Jiapin'], ['优选', 'Youxuan'], ['万家', 'Wanjia'], ['金桥', 'Jinqiao'],
  ['新象', 'Xinxiang'], ['云帆', 'Yunfan'], ['盛世', 'Shengshi'], ['鸿运', 'Hongyun'], ['同创', 'Tongchuang'],
];

export const companySuffixes: readonly NamePart[] = [
  ['商贸有限公司', 'Trading Co., Ltd.'],
  ['电子商务有限公司', 'E-commerce Co., Ltd.'],
  ['百货有限公司', 'Department Store Co., Ltd.'],
  ['科技有限公司', 'Technology Co., Ltd.'],
  ['供应链管理有限公司', 'Supply Chain Co., Ltd.'],
];
