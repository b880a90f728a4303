import { QuestionCircleOutlined } from '@ant-design/icons';
import { Flex, Tag, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Overview } from './tracking-api.ts';
import { pct, signedPct } from './use-metric-format.ts';

type Status = NonNullable<Overview['aheadBehind']>['status'];

export function useStatusColor() {
  const { token } = theme.useToken();
  return (status: Status | null | undefined) =>
    status === 'ahead'
      ? token.colorSuccess
      : status === 'behind'
        ? token.colorError
        : status === 'on-track'
          ? token.colorPrimary
          : token.colorTextQuaternary;
}

/**
 * Attainment against time progress as a bullet bar: the bar is the attainment (green ahead of
 * time, red behind it), the black tick is how much of the period's target days have passed. A
 * bar reaching past the tick is ahead. The scale stretches beyond 100% when the target is beaten.
 */
export function ProgressBullet({
  attainmentBp,
  timeProgressBp,
  aheadBehind,
  testId,
}: {
  attainmentBp: number | null;
  timeProgressBp: number;
  aheadBehind: Overview['aheadBehind'];
  testId?: string;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const color = useStatusColor()(aheadBehind?.status);
  const scale = Math.max(10_000, attainmentBp ?? 0, timeProgressBp);
  const at = (bp: number) => `${Math.min(100, (Math.max(0, bp) / scale) * 100)}%`;
  const status = aheadBehind?.status;

  return (
    <div data-testid={testId}>
      <Flex justify="space-between" align="baseline" wrap gap={4}>
        <Typography.Text
          strong
          style={{ fontSize: 22, color }}
          data-testid={testId && `${testId}-attainment`}
        >
          {pct(attainmentBp)}
        </Typography.Text>
        {status && (
          <Tag
            color={status === 'ahead' ? 'success' : status === 'behind' ? 'error' : 'processing'}
            style={{ marginInlineEnd: 0 }}
          >
            {t(`tracking.status.${status}`)} {signedPct(aheadBehind.differenceBp)}
          </Tag>
        )}
      </Flex>
      <Tooltip
        title={t('tracking.bulletHint', {
          attainment: pct(attainmentBp),
          time: pct(timeProgressBp),
        })}
      >
        <div
          role="img"
          aria-label={t('tracking.bulletHint', {
            attainment: pct(attainmentBp),
            time: pct(timeProgressBp),
          })}
          style={{
            position: 'relative',
            height: 14,
            margin: '8px 0 4px',
            background: token.colorFillSecondary,
            borderRadius: 3,
          }}
        >
          <div
            style={{
              position: 'absolute',
              insetBlock: 0,
              left: 0,
              width: at(attainmentBp ?? 0),
              background: color,
              borderRadius: 3,
            }}
          />
          {scale > 10_000 && (
            // Where 100% is, once the scale has stretched past it.
            <div
              style={{
                position: 'absolute',
                top: -2,
                bottom: -2,
                left: at(10_000),
                width: 1,
                background: token.colorTextTertiary,
              }}
            />
          )}
          <div
            style={{
              position: 'absolute',
              top: -4,
              bottom: -4,
              left: at(timeProgressBp),
              width: 3,
              marginLeft: -1,
              background: token.colorText,
            }}
          />
        </div>
      </Tooltip>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('tracking.timeProgress')} {pct(timeProgressBp)}{' '}
        {/* Weighted by this node's own daily targets, so a team and its company can differ. */}
        <Tooltip title={t('tracking.timeProgressHelp')}>
          <QuestionCircleOutlined
            aria-label={t('tracking.timeProgressHelp')}
            data-testid="time-progress-help"
          />
        </Tooltip>
      </Typography.Text>
    </div>
  );
}
