import { LockFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Drawer, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { QueryState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import type { TFunction } from 'i18next';
import { bpText, monthLabel, type Why, type WhyStep } from './plan-api.ts';

/** 为什么是这个数？ The chain from a cell up to the committed target, each step in plain words. */
export function WhyDrawer({ cellId, onClose }: { cellId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const why = useQuery({
    queryKey: ['plan-why', cellId],
    queryFn: () => api.get<Why>(`/target-cells/${cellId}/why`),
    enabled: cellId !== null,
  });
  return (
    <Drawer
      open={cellId !== null}
      onClose={onClose}
      title={t('plans.why.title')}
      size={460}
      destroyOnHidden
    >
      <div data-testid="why-panel">
        <QueryState query={why}>{(w) => <WhyChain why={w} />}</QueryState>
      </div>
    </Drawer>
  );
}

function WhyChain({ why }: { why: Why }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('plans.why.intro')}
      </Typography.Paragraph>
      <Timeline
        items={why.chain.map((step, i) => ({
          key: i,
          color: i === 0 ? 'blue' : step.split ? 'gray' : 'green',
          content: <StepText step={step} parent={why.chain[i + 1]} first={i === 0} />,
        }))}
      />
      {why.committedTarget !== null && (
        <Typography.Text type="secondary">
          {t('plans.why.committed', { amount: money.format(why.committedTarget) })}
        </Typography.Text>
      )}
    </Space>
  );
}

function usePeriodText() {
  const { t, i18n } = useTranslation();
  return (p: string) =>
    /^\d{4}-\d{2}$/.test(p)
      ? `${p.slice(0, 4)} ${monthLabel(p, i18n.language)}`
      : p.startsWith('FY')
        ? t('plans.why.fiscalYear', { fy: p })
        : p;
}

function StepText({
  step,
  parent: parentStep,
  first,
}: {
  step: WhyStep;
  parent: WhyStep | undefined;
  first: boolean;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const period = usePeriodText();
  const owner = localName(step.ownerNameZh, step.ownerNameEn) || t('plans.why.unknownOwner');
  const head = (
    <Space size={6} wrap>
      <Typography.Text strong={first}>
        {owner} · {period(step.key.period)}
      </Typography.Text>
      <Typography.Text strong>{money.format(step.value)}</Typography.Text>
      {step.locked && (
        <Tag icon={<LockFilled />} color="orange">
          {t('plans.why.locked')}
        </Tag>
      )}
    </Space>
  );
  const s = step.split;
  const edits = <EditsText edits={step.edits} />;
  if (!s) {
    return (
      <div>
        {head}
        {edits}
        {step.edits.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {step.key.period.startsWith('FY') ? t('plans.why.root') : t('plans.why.typed')}
          </Typography.Paragraph>
        )}
      </div>
    );
  }
  const share =
    s.parentValue && step.value !== null ? Math.round((step.value / s.parentValue) * 10_000) : null;
  const edited = step.edits.length > 0;
  return (
    <div>
      {head}
      {edits}
      <Typography.Paragraph style={{ margin: '2px 0' }} type={edited ? 'secondary' : undefined}>
        {edited && t('plans.why.splitBeforeEdits')}
        {t('plans.why.split', {
          axis: t(`plans.why.axis.${s.axis}`, { defaultValue: s.axis }),
          parent:
            `${parentStep ? localName(parentStep.ownerNameZh, parentStep.ownerNameEn) : ''} ${period(s.parentKey.period)}`.trim(),
          parentValue: money.format(s.parentValue),
          method: t(`plans.why.method.${s.method}`, { defaultValue: s.method }),
          siblings: s.siblings,
          share: share === null ? '—' : bpText(share),
        })}
      </Typography.Paragraph>
      <InputsText inputs={s.inputs} period={step.key.period} axis={s.axis} cellKey={step.key} />
      {step.locked && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('plans.why.lockedHint')}
        </Typography.Paragraph>
      )}
      {step.note && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('plans.why.note', { note: step.note })}
        </Typography.Paragraph>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('plans.why.by', {
          who: s.createdBy ?? t('plans.why.system'),
          at: s.createdAt.slice(0, 16).replace('T', ' '),
        })}
      </Typography.Text>
    </div>
  );
}

/** Hand edits, newest first: who typed (or imported) what and when, or which edit this cell absorbed. */
function EditsText({ edits }: { edits: WhyStep['edits'] }) {
  const { t } = useTranslation();
  const money = useMoney();
  if (edits.length === 0) return null;
  const key = {
    typed: 'editTyped',
    imported: 'editImported',
    absorbed: 'editAbsorbed',
    adjusted: 'editAdjusted',
  } as const;
  return (
    <div data-testid="why-edits">
      <Typography.Paragraph strong style={{ margin: '2px 0' }}>
        {t('plans.why.editedHint')}
      </Typography.Paragraph>
      <ul style={{ margin: '2px 0', paddingLeft: 18 }}>
        {[...edits].reverse().map((e, i) => (
          <li key={i}>
            {t(`plans.why.${key[e.kind]}`, {
              who: e.by ?? t('plans.why.system'),
              at: e.at.slice(0, 16).replace('T', ' '),
              value: money.format(e.value),
              before: e.before === null ? '—' : money.format(e.before),
            })}
            {e.adjustmentId !== null && (
              <>
                {' '}
                <Link to={`/adjustments/${e.adjustmentId}`} data-testid="why-adjustment">
                  {t('plans.why.byAdjustment', { id: e.adjustmentId })}
                </Link>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The method's inputs that matter for this cell, in words. */
function InputsText({
  inputs,
  period,
  axis,
  cellKey,
}: {
  inputs: Record<string, unknown>;
  period: string;
  axis: string;
  cellKey: WhyStep['key'];
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const lines: string[] = [];
  lines.push(...matrixLines(inputs, axis, cellKey, t, money.format));
  const q = inputs.quarterPercentsBp;
  if (Array.isArray(q))
    lines.push(
      t('plans.why.quarters', {
        list: q.map((x, i) => `Q${i + 1} ${bpText(Number(x))}`).join(' · '),
      }),
    );
  const mine = (key: string): number | undefined => {
    const m = inputs[key];
    return m && typeof m === 'object' && !Array.isArray(m)
      ? (m as Record<string, number>)[period]
      : undefined;
  };
  const wd = mine('workingDays');
  if (wd !== undefined) lines.push(t('plans.why.workingDays', { n: wd }));
  const share = mine('sharesBp');
  if (share !== undefined) lines.push(t('plans.why.historyShare', { pct: bpText(share) }));
  const cap = mine('capacityFen');
  if (cap !== undefined) lines.push(t('plans.why.capacity', { amount: money.format(cap) }));
  if (Array.isArray(inputs.yearsUsed))
    lines.push(t('plans.why.yearsUsed', { years: inputs.yearsUsed.join(', ') }));
  if (inputs.basis === 'members') lines.push(t('plans.why.byHeadcount'));
  if (axis === 'time' && Array.isArray(inputs.monthPercentsBp))
    lines.push(t('plans.why.monthPercents'));
  if (lines.length === 0) return null;
  return (
    <ul style={{ margin: '2px 0', paddingLeft: 18 }}>
      {lines.map((l) => (
        <li key={l}>
          <Typography.Text type="secondary">{l}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

/** This cell's reference in a split on `axis`, as the split's inputs key their per-child maps. */
function refIn(axis: string, k: WhyStep['key']): string {
  if (axis === 'org') return `${k.ownerType}:${k.ownerId}`;
  if (axis === 'product_line') return String(k.productLineId);
  if (axis === 'region') return String(k.regionId);
  if (axis === 'segment') return String(k.segmentId);
  if (axis === 'channel') return String(k.channelId);
  return k.lifecycle;
}

/** A two-margin matrix fit, in words: the two axes and seed, then this cell's row and column totals. */
function matrixLines(
  inputs: Record<string, unknown>,
  axis: string,
  key: WhyStep['key'],
  t: TFunction,
  format: (fen: number) => string,
): string[] {
  const m = inputs.matrix as
    { rowAxis?: string; colAxis?: string; seed?: string; seedYear?: number } | undefined;
  if (!m || typeof m !== 'object') return [];
  const ref = refIn(axis, key);
  const entry = (name: string): number | undefined => {
    const map = inputs[name];
    return map && typeof map === 'object' ? (map as Record<string, number>)[ref] : undefined;
  };
  const out = [
    t('plans.why.matrixAxes', {
      rows: t(`plans.why.axis.${m.rowAxis ?? ''}`, { defaultValue: m.rowAxis }),
      cols: t(`plans.why.axis.${m.colAxis ?? ''}`, { defaultValue: m.colAxis }),
      seed:
        m.seed === 'history'
          ? t('plans.why.matrixSeedHistory', { year: m.seedYear })
          : t('plans.why.matrixSeedEven'),
    }),
  ];
  const row =
    inputs.role === 'cells' ? (inputs.rowTotal as number | undefined) : entry('rowTotals');
  if (typeof row === 'number' && inputs.role !== 'columns')
    out.push(t('plans.why.matrixRow', { amount: format(row) }));
  const col = entry('colTotals');
  if (typeof col === 'number' && inputs.role !== 'rows')
    out.push(t('plans.why.matrixCol', { amount: format(col) }));
  const fitted = entry('fitted');
  if (typeof fitted === 'number')
    out.push(t('plans.why.matrixFitted', { amount: format(Math.round(fitted)) }));
  return out;
}
