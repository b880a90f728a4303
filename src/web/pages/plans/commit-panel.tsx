import { LockOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, InputNumber, Row, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { MoneyInput, useMoney, type MoneyValue } from '../../format/money.tsx';
import { orderedTiers, type TierName } from '../../../domain/tracking/progress.ts';
import { PLAN_KEYS, type CommitResult, type VersionDetail } from './plan-api.ts';

const TIER_COLORS: Record<TierName, string> = {
  base: '#8c8c8c',
  target: '#1f5fd6',
  challenge: '#d46b08',
  sprint: '#cf1322',
};

/**
 * The committed target: adopt one lens (or type another number), commit it, and see the tiers it
 * is tracked by — base 保底, target, challenge 挑战, and the internal sprint number with the buffer.
 */
export function CommitPanel({
  v,
  adopted,
}: {
  v: VersionDetail;
  adopted: { value: number; seq: number } | null;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const editable = v.status === 'draft' && v.canApprove;
  const [target, setTarget] = useState<MoneyValue>(v.committedTarget);
  const [seenSeq, setSeenSeq] = useState(0);
  if (adopted && adopted.seq !== seenSeq) {
    setSeenSeq(adopted.seq);
    setTarget(adopted.value);
  }
  const [pcts, setPcts] = useState({
    basePct: v.settings.basePct / 100,
    challengePct: v.settings.challengePct / 100,
    bufferPct: v.settings.bufferPct / 100,
  });

  const commit = useSave({
    mutationFn: (value: number) =>
      api.put<CommitResult>(`/plan-versions/${v.id}/commit`, { target: value, version: v.version }),
    invalidate: PLAN_KEYS,
    success: t('plans.commit.done'),
  });
  const saveSettings = useSave({
    mutationFn: () =>
      api.put<VersionDetail>(`/plan-versions/${v.id}/settings`, {
        basePct: Math.round(pcts.basePct * 100),
        challengePct: Math.round(pcts.challengePct * 100),
        bufferPct: Math.round(pcts.bufferPct * 100),
        version: v.version,
      }),
    invalidate: PLAN_KEYS,
  });
  const settingsChanged =
    Math.round(pcts.basePct * 100) !== v.settings.basePct ||
    Math.round(pcts.challengePct * 100) !== v.settings.challengePct ||
    Math.round(pcts.bufferPct * 100) !== v.settings.bufferPct;

  return (
    <Card title={t('plans.commit.title')} data-testid="commit-panel">
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={10}>
          <Typography.Paragraph type="secondary">{t('plans.commit.hint')}</Typography.Paragraph>
          <Flex gap={8} align="start">
            <div style={{ flex: 1 }}>
              <MoneyInput value={target} onChange={setTarget} data-testid="commit-target" />
            </div>
            <Button
              type="primary"
              icon={<LockOutlined />}
              disabled={!editable || typeof target !== 'number' || target < 0}
              loading={commit.isPending}
              onClick={() => typeof target === 'number' && commit.mutate(target)}
              data-testid="commit-submit"
            >
              {v.committedTarget === null ? t('plans.commit.commit') : t('plans.commit.recommit')}
            </Button>
          </Flex>
          {v.committedTarget !== null && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
              {t('plans.commit.recommitHint')}
            </Typography.Paragraph>
          )}
          <Space wrap style={{ marginTop: 12 }}>
            <span>{t('plans.commit.basePct')}</span>
            <InputNumber
              size="small"
              min={0}
              max={100}
              suffix="%"
              value={pcts.basePct}
              onChange={(x) => setPcts((p) => ({ ...p, basePct: x ?? 0 }))}
              style={{ width: 90 }}
              disabled={!editable}
            />
            <span>{t('plans.commit.challengePct')}</span>
            <InputNumber
              size="small"
              min={100}
              max={1000}
              suffix="%"
              value={pcts.challengePct}
              onChange={(x) => setPcts((p) => ({ ...p, challengePct: x ?? 100 }))}
              style={{ width: 96 }}
              disabled={!editable}
            />
            <span>{t('plans.commit.bufferPct')}</span>
            <InputNumber
              size="small"
              min={0}
              max={100}
              suffix="%"
              value={pcts.bufferPct}
              onChange={(x) => setPcts((p) => ({ ...p, bufferPct: x ?? 0 }))}
              style={{ width: 90 }}
              disabled={!editable}
            />
            {settingsChanged && (
              <Button
                size="small"
                onClick={() => saveSettings.mutate()}
                loading={saveSettings.isPending}
              >
                {t('common.save')}
              </Button>
            )}
          </Space>
        </Col>
        <Col xs={24} lg={14}>
          {v.tiers ? (
            <Row gutter={12} data-testid="tiers">
              {/* By amount, as the tracking pages order them (the sprint usually sits below the challenge). */}
              {orderedTiers(v.tiers).map(({ tier: k }) => (
                <Col span={6} key={k}>
                  <Card size="small" style={{ borderTop: `3px solid ${TIER_COLORS[k]}` }}>
                    <Statistic
                      title={`${t(`plans.tiers.${k}`)} · ${k === 'sprint' ? `+${v.settings.bufferPct / 100}%` : `${(k === 'base' ? v.settings.basePct : k === 'challenge' ? v.settings.challengePct : 10_000) / 100}%`}`}
                      value={money.format(v.tiers?.[k])}
                      styles={{ content: { fontSize: 18, color: TIER_COLORS[k] } }}
                      data-testid={`tier-${k}`}
                    />
                  </Card>
                </Col>
              ))}
            </Row>
          ) : (
            <Typography.Text type="secondary">{t('plans.commit.noTiers')}</Typography.Text>
          )}
          {v.tiers && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
              {t('plans.commit.sprintHint')}
            </Typography.Paragraph>
          )}
        </Col>
      </Row>
    </Card>
  );
}
