import { CopyOutlined, DownOutlined } from '@ant-design/icons';
import { App, Card, Col, Dropdown, Flex, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocalName } from '../../format/names.ts';
import { ProgressBullet } from '../tracking/progress-bullet.tsx';
import { gapState, pct, useMetricFormat } from '../tracking/use-metric-format.ts';
import type { Figures, Leaders, RenderedText } from './reports-api.ts';

type Locale = 'zh-CN' | 'en';

/** The text a group receives, as pasted: the title line, then the markdown lines. */
export function plainText(text: RenderedText): string {
  return [`**${text.title}**`, ...text.lines].join('\n');
}

async function copyText(s: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(s);
  // Plain HTTP on an intranet: the clipboard API is unavailable, the old way still works.
  const area = document.createElement('textarea');
  area.value = s;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** "Copy as text": the message in the UI's language; the menu copies it in the other one. */
export function CopyTextButton({ text }: { text: Record<Locale, RenderedText> }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const here: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const other: Locale = here === 'en' ? 'zh-CN' : 'en';
  const copy = (locale: Locale) =>
    copyText(plainText(text[locale])).then(
      () => message.success(t('reports.copied')),
      () => message.error(t('reports.copyFailed')),
    );
  return (
    <Dropdown.Button
      data-testid="copy-text"
      icon={<DownOutlined />}
      onClick={() => void copy(here)}
      menu={{
        items: [{ key: other, label: t(`reports.copyIn.${other}`) }],
        onClick: () => void copy(other),
      }}
    >
      <CopyOutlined /> {t('reports.copy')}
    </Dropdown.Button>
  );
}

/** The message as the group sees it (bold and lists; nothing else is used). */
export function MessagePreview({ text }: { text: RenderedText }) {
  const { t } = useTranslation();
  const inline = (s: string) =>
    s
      .split(/(\*\*[^*]+\*\*)/)
      .map((part, i) =>
        part.startsWith('**') && part.endsWith('**') ? (
          <strong key={i}>{part.slice(2, -2)}</strong>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      );
  return (
    <Card size="small" title={t('reports.message')} data-testid="message-preview">
      <Typography.Paragraph strong style={{ marginBottom: 8 }}>
        {text.title}
      </Typography.Paragraph>
      {text.lines.map((l, i) => (
        <div key={i} style={{ paddingInlineStart: /^(- |\d+\. )/.test(l) ? 12 : 0 }}>
          {inline(l)}
        </div>
      ))}
    </Card>
  );
}

const statusOf = (d: number) => (d > 0 ? 'ahead' : d < 0 ? 'behind' : 'on-track');

/** One metric over a period: actual of target, attainment against time progress, gap, run-rate. */
export function FiguresCard({ f, testId }: { f: Figures; testId: string }) {
  const { t } = useTranslation();
  const fmt = useMetricFormat(f.metric);
  const gap = gapState(f);
  // A target of 0 measures nothing (no attainment), as in the message: "no target".
  const measured = f.hasTarget && f.target > 0;
  return (
    <Card size="small" data-testid={testId} title={t(`tracking.metric.${f.metric}`)}>
      <Flex vertical gap={8}>
        <Typography.Text>
          <Typography.Text strong style={{ fontSize: 18 }} data-testid={`${testId}-actual`}>
            {fmt.format(f.actual)}
          </Typography.Text>
          {measured && (
            <Typography.Text type="secondary">
              {' '}
              / {t('reports.target')} {fmt.format(f.target)}
            </Typography.Text>
          )}
        </Typography.Text>
        {measured ? (
          <>
            <ProgressBullet
              attainmentBp={f.attainmentBp}
              timeProgressBp={f.timeProgressBp}
              aheadBehind={
                f.differenceBp === null
                  ? null
                  : { differenceBp: f.differenceBp, status: statusOf(f.differenceBp) }
              }
            />
            {gap === 'exceeded' ? (
              <Tag color="success">{t('reports.reached')}</Tag>
            ) : (
              <Typography.Text data-testid={`${testId}-gap`}>
                {t('reports.gap')} <strong>{fmt.format(f.gap)}</strong>
                {' · '}
                {f.requiredRunRate === null
                  ? t('reports.noDaysLeft')
                  : t('reports.runRate', { value: fmt.format(f.requiredRunRate) })}
              </Typography.Text>
            )}
          </>
        ) : (
          <Typography.Text type="secondary">{t('reports.noTarget')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

export function FiguresRow({ figures, prefix }: { figures: Figures[]; prefix: string }) {
  return (
    <Row gutter={[12, 12]}>
      {figures.map((f) => (
        <Col key={f.metric} xs={24} md={8}>
          <FiguresCard f={f} testId={`${prefix}-${f.metric}`} />
        </Col>
      ))}
    </Row>
  );
}

/** The top three and the one furthest behind on revenue attainment. */
export function LeadersCard({ leaders, title }: { leaders: Leaders; title: ReactNode }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const fmt = useMetricFormat('revenue');
  if (leaders.top.length === 0 && !leaders.behind) return null;
  return (
    <Card size="small" title={title} data-testid="leaders">
      <List
        size="small"
        dataSource={leaders.top}
        renderItem={(r, i) => (
          <List.Item data-testid="leader-row">
            <Space>
              <Tag color={i === 0 ? 'gold' : 'blue'}>{i + 1}</Tag>
              {name(r.nameZh, r.nameEn)}
            </Space>
            <span>
              <strong>{pct(r.attainmentBp)}</strong>{' '}
              <Typography.Text type="secondary">{fmt.format(r.actual)}</Typography.Text>
            </span>
          </List.Item>
        )}
      />
      {leaders.behind && (
        <Flex
          justify="space-between"
          wrap
          gap={8}
          style={{ padding: '8px 16px 0' }}
          data-testid="behind-row"
        >
          <Space>
            <Tag color="error">{t('reports.behind')}</Tag>
            {name(leaders.behind.nameZh, leaders.behind.nameEn)}
          </Space>
          <span>
            <strong>{pct(leaders.behind.attainmentBp)}</strong>
            {leaders.behind.gap > 0 && (
              <Typography.Text type="secondary">
                {' '}
                {t('reports.gap')} {fmt.format(leaders.behind.gap)}
              </Typography.Text>
            )}
          </span>
        </Flex>
      )}
    </Card>
  );
}

export function DayStatistics({
  day,
}: {
  day: { metric: Figures['metric']; unit: 'fen' | 'count'; actual: number }[];
}) {
  return (
    <Row gutter={[12, 12]}>
      {day.map((d) => (
        <Col key={d.metric} xs={8}>
          <DayStatistic metric={d.metric} actual={d.actual} />
        </Col>
      ))}
    </Row>
  );
}

function DayStatistic({ metric, actual }: { metric: Figures['metric']; actual: number }) {
  const { t } = useTranslation();
  const fmt = useMetricFormat(metric);
  return (
    <Statistic
      title={t(`tracking.metric.${metric}`)}
      value={fmt.format(actual)}
      data-testid={`day-${metric}`}
    />
  );
}
