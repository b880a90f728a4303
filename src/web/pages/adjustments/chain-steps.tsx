import { Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocalName } from '../../format/names.ts';
import { approverLabel, type ChainStep } from './adjustment-api.ts';

/** The approval chain with who each approver is (销售总监, 大区经理, 财务) and why they are in it. */
export function ChainSteps({
  chain,
  current,
  state,
  extra,
}: {
  chain: ChainStep[];
  current: number;
  state: string;
  extra?: (index: number) => string | null;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  return (
    <Steps
      data-testid="adjustment-chain"
      size="small"
      direction="vertical"
      current={Math.min(current, chain.length)}
      status={state === 'rejected' ? 'error' : state === 'applied' ? 'finish' : 'process'}
      items={chain.map((s, i) => ({
        title: approverLabel(s, t, localName),
        description: (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`adjustments.why.${s.why}`)}
            {extra?.(i) ? ` · ${extra(i)}` : ''}
          </Typography.Text>
        ),
      }))}
    />
  );
}
