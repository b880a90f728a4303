import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerTier, OrgKind, Tier } from '../api/types.ts';

const KIND_COLORS: Record<OrgKind, string> = {
  company: 'gold',
  region: 'blue',
  branch: 'cyan',
  team: 'green',
};
const TIER_COLORS: Record<Tier, string> = { senior: 'purple', regular: 'blue', new: 'lime' };
const CUSTOMER_TIER_COLORS: Record<CustomerTier, string> = { A: 'red', B: 'orange', C: 'default' };

export function KindTag({ kind }: { kind: OrgKind }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[kind]}>{t(`enums.orgKind.${kind}`)}</Tag>;
}

export function TierTag({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return <Tag color={TIER_COLORS[tier]}>{t(`enums.tier.${tier}`)}</Tag>;
}

export function CustomerTierTag({ tier }: { tier: CustomerTier }) {
  const { t } = useTranslation();
  return (
    <Tag color={CUSTOMER_TIER_COLORS[tier]} data-testid={`customer-tier-${tier}`}>
      {t(`enums.customerTier.${tier}`)}
    </Tag>
  );
}
