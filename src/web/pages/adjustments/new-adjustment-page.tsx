import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, errorMessage } from '../../api/client.ts';
import { OrgUnitSelect } from '../../components/org-unit-select.tsx';
import { Page } from '../../components/page.tsx';
import { Loading } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { useMetrics, type Grid, type GridRow } from '../plans/plan-api.ts';
import type { z } from 'zod';
import type { planSchema } from '../../../api/plans/schemas.ts';
import { ChainSteps } from './chain-steps.tsx';
import { DiffTable } from './diff-table.tsx';
import { REASONS, type AdjustmentDetail, type ChangeSpec, type Preview } from './adjustment-api.ts';
import { useAlert } from '../inbox/alerts-api.ts';

type Plan = z.infer<typeof planSchema>;

/** Waits until a value has stopped changing for `ms` (the preview follows the typing). */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * 申请调整目标: pick the unit and metric, type new targets for open months (or a new year total,
 * re-spread over the open months), see the exact result and the approval chain live (a what-if:
 * nothing is saved), then give the reason and send. Opened from an alert with `?alert=<id>`,
 * from the plan grid with `?unit=<id>&metric=<code>`.
 */
export default function NewAdjustmentPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const money = useMoney();
  const localName = useLocalName();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const alertId = Number(params.get('alert')) || null;
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api.get<Plan[]>('/plans') });
  const metrics = useMetrics();
  const active = useMemo(
    () =>
      (plans.data ?? []).flatMap((p) =>
        p.versions
          .filter((v) => v.status === 'active')
          .map((v) => ({ id: v.id, label: `${localName(p.nameZh, p.nameEn)} · v${v.number}` })),
      ),
    [plans.data, localName],
  );
  const [versionId, setVersionId] = useState<number | null>(Number(params.get('version')) || null);
  const [metric, setMetric] = useState(params.get('metric') ?? 'revenue');
  const [unitId, setUnitId] = useState<number | null>(Number(params.get('unit')) || null);
  // Opened from an alert ("open a target review"): the alert's unit (a member's team) is where
  // the review starts, unless the link names a unit itself.
  const alert = useAlert(alertId);
  const alertUnit = alert.data
    ? alert.data.subject.type === 'unit'
      ? alert.data.subject.id
      : alert.data.subject.unitId
    : null;
  useEffect(() => {
    if (alertUnit !== null && !params.get('unit')) setUnitId(alertUnit);
  }, [alertUnit, params]);
  const [mode, setMode] = useState<'cells' | 'total'>('cells');
  const [climb, setClimb] = useState(0);
  const [edits, setEdits] = useState<Record<number, number>>({});
  const [total, setTotal] = useState<{ row: GridRow; value: number } | null>(null);
  const [form] = Form.useForm<{ reasonCategory: string; reasonText: string }>();
  const chosenVersion = versionId ?? active[0]?.id ?? null;
  const metricRow = metrics.data?.find((m) => m.code === metric);
  const isMoney = metricRow?.unit !== 'count';
  const perUnit = isMoney ? money.perUnit : 1;

  const grid = useQuery({
    queryKey: ['adjust-grid', chosenVersion, metric, unitId, me.role],
    queryFn: () =>
      api.get<Grid>(`/plan-versions/${chosenVersion}/grid`, {
        metric,
        ...(unitId ? { unitId, depth: 1 } : {}),
      }),
    enabled: chosenVersion !== null && (unitId !== null || me.role === 'rep'),
  });
  useEffect(() => {
    setEdits({});
    setTotal(null);
  }, [chosenVersion, metric, unitId, mode]);

  const spec: ChangeSpec | null = useMemo(() => {
    if (chosenVersion === null) return null;
    if (mode === 'total' && total && metricRow)
      return {
        versionId: chosenVersion,
        total: {
          ownerType: total.row.ownerType,
          ownerId: total.row.ownerId,
          metricId: metricRow.id,
          value: total.value,
        },
      };
    const cells = Object.entries(edits).map(([cellId, value]) => ({
      cellId: Number(cellId),
      value,
    }));
    return cells.length > 0 ? { versionId: chosenVersion, climb, cells } : null;
  }, [chosenVersion, mode, total, edits, metricRow, climb]);
  const debounced = useDebounced(spec, 400);
  const preview = useQuery({
    queryKey: ['adjust-preview', debounced],
    queryFn: () => api.post<Preview>('/adjustments/preview', debounced),
    enabled: debounced !== null,
    retry: false,
  });

  const create = useMutation({
    mutationFn: (send: boolean) =>
      form.validateFields().then((v) =>
        api.post<AdjustmentDetail>('/adjustments', {
          spec,
          reasonCategory: v.reasonCategory,
          reasonText: v.reasonText,
          alertId,
          send,
        }),
      ),
    onSuccess: (d) => void navigate(`/adjustments/${d.id}`),
    onError: (e) => {
      if (e && typeof e === 'object' && 'errorFields' in e) return; // the form shows it
      void message.error(errorMessage(e, t('adjustments.failed')));
    },
  });

  if (plans.isPending) return <Loading />;
  if (active.length === 0)
    return (
      <Page title={t('adjustments.newTitle')}>
        <Alert type="info" title={t('adjustments.noActive')} />
      </Page>
    );
  const g = grid.data;
  const months = g?.periods.filter((p) => p.length === 7) ?? [];
  const firstOpen = preview.data?.firstOpenMonth ?? currentMonth();
  const fmt = (v: number | null | undefined) =>
    v === null || v === undefined ? '—' : isMoney ? money.format(v) : String(v);

  return (
    <Page title={t('adjustments.newTitle')} testId="new-adjustment-page">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex wrap gap={12} align="center">
          <Space>
            {t('adjustments.version')}
            <Select
              style={{ minWidth: 200 }}
              value={chosenVersion ?? undefined}
              onChange={setVersionId}
              options={active.map((a) => ({ value: a.id, label: a.label }))}
            />
          </Space>
          <Space>
            {t('adjustments.metric')}
            <Select
              data-testid="adjust-metric"
              style={{ minWidth: 140 }}
              value={metric}
              onChange={setMetric}
              options={(metrics.data ?? [])
                .filter((m) => m.kind === 'additive')
                .map((m) => ({ value: m.code, label: localName(m.nameZh, m.nameEn) }))}
            />
          </Space>
          {me.role !== 'rep' && (
            <Space>
              {t('adjustments.unit')}
              <OrgUnitSelect data-testid="adjust-unit" value={unitId} onChange={setUnitId} />
            </Space>
          )}
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as 'cells' | 'total')}
            options={[
              { value: 'cells', label: t('adjustments.modeCells') },
              { value: 'total', label: t('adjustments.modeTotal') },
            ]}
          />
          {mode === 'cells' && (
            <Select
              data-testid="adjust-climb"
              style={{ minWidth: 260 }}
              value={climb}
              onChange={setClimb}
              options={[0, 1, 2].map((n) => ({
                value: n,
                label: t(n === 0 ? 'adjustments.climb0' : 'adjustments.climbN', { n }),
              }))}
            />
          )}
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('adjustments.firstOpen', { month: firstOpen })}
        </Typography.Text>
      </Card>

      {g && (
        <Table<GridRow>
          data-testid="adjust-cells"
          size="small"
          rowKey="ref"
          dataSource={g.rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          style={{ marginBottom: 12 }}
          columns={[
            {
              title: t('adjustments.col.owner'),
              fixed: 'left',
              render: (_, r) => (
                <span style={{ paddingLeft: r.depth * 12 }}>{localName(r.nameZh, r.nameEn)}</span>
              ),
            },
            ...months.map((m) => ({
              title: m,
              key: m,
              align: 'right' as const,
              render: (_: unknown, r: GridRow) => {
                const c = r.cells[m];
                if (!c) return '—';
                if (mode === 'total' || m < firstOpen)
                  return (
                    <Typography.Text type={m < firstOpen ? 'secondary' : undefined}>
                      {fmt(edits[c.cellId] ?? c.value)}
                    </Typography.Text>
                  );
                return (
                  <InputNumber
                    data-testid={`adjust-input-${r.ref}-${m}`}
                    size="small"
                    precision={isMoney ? 2 : 0}
                    style={{ width: 104 }}
                    value={(edits[c.cellId] ?? c.value) / perUnit}
                    onChange={(v) =>
                      setEdits((e) => {
                        const next = { ...e };
                        const fen = v === null ? c.value : Math.round(Number(v) * perUnit);
                        if (fen === c.value) delete next[c.cellId];
                        else next[c.cellId] = fen;
                        return next;
                      })
                    }
                  />
                );
              },
            })),
            {
              title: mode === 'total' ? t('adjustments.newTotal') : t('adjustments.yearTotal'),
              fixed: 'right',
              align: 'right',
              render: (_, r) =>
                mode === 'total' ? (
                  <InputNumber
                    size="small"
                    precision={isMoney ? 2 : 0}
                    style={{ width: 120 }}
                    value={(total?.row.ref === r.ref ? total.value : r.total) / perUnit}
                    onChange={(v) =>
                      setTotal(
                        v === null ? null : { row: r, value: Math.round(Number(v) * perUnit) },
                      )
                    }
                  />
                ) : (
                  fmt(r.total)
                ),
            },
          ]}
        />
      )}

      <Row gutter={12}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('adjustments.preview')} style={{ marginBottom: 12 }}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('adjustments.previewHint')}
            </Typography.Paragraph>
            {preview.error ? (
              <Alert type="error" title={errorMessage(preview.error, '')} />
            ) : preview.data && spec ? (
              <>
                <DiffTable rows={preview.data.changes} money={isMoney} />
                <EffectTable preview={preview.data} isMoney={isMoney} />
              </>
            ) : (
              <Typography.Text type="secondary">{t('adjustments.noChanges')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('adjustments.chain')} style={{ marginBottom: 12 }}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('adjustments.chainHint')}
            </Typography.Paragraph>
            {preview.data && spec && (
              <ChainSteps chain={preview.data.chain} current={-1} state="draft" />
            )}
          </Card>
        </Col>
      </Row>

      <Card size="small">
        <Form form={form} layout="vertical" initialValues={{ reasonCategory: 'market' }}>
          <Form.Item
            name="reasonCategory"
            label={t('adjustments.reasonCategory')}
            rules={[{ required: true }]}
          >
            <Select
              style={{ maxWidth: 260 }}
              options={REASONS.map((r) => ({ value: r, label: t(`adjustments.reasons.${r}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="reasonText"
            label={t('adjustments.reasonText')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input.TextArea
              data-testid="adjust-reason"
              rows={3}
              maxLength={4000}
              placeholder={t('adjustments.reasonTextPlaceholder')}
            />
          </Form.Item>
          {alertId !== null && (
            <Form.Item label={t('adjustments.alert')}>
              <Space direction="vertical" size={0}>
                <a href={`/?alert=${alertId}`} data-testid="adjust-alert">
                  {t('adjustments.alertLink', { id: alertId })}
                </a>
                {alert.data && (
                  <Typography.Text type="secondary" data-testid="adjust-alert-title">
                    {alert.data.title}
                  </Typography.Text>
                )}
                {alert.isError && (
                  <Typography.Text type="danger">
                    {errorMessage(alert.error, t('adjustments.failed'))}
                  </Typography.Text>
                )}
              </Space>
            </Form.Item>
          )}
          <Space>
            <Button
              disabled={!preview.data || !spec}
              loading={create.isPending && create.variables === false}
              onClick={() => create.mutate(false)}
            >
              {t('adjustments.saveDraft')}
            </Button>
            <Button
              type="primary"
              data-testid="adjust-send"
              disabled={!preview.data || !spec}
              loading={create.isPending && create.variables === true}
              onClick={() => create.mutate(true)}
            >
              {t('adjustments.send')}
            </Button>
          </Space>
        </Form>
      </Card>
    </Page>
  );
}

/** Attainment and tier today, before and after, for the asked cells of the month in course. */
function EffectTable({ preview, isMoney }: { preview: Preview; isMoney: boolean }) {
  const { t } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  if (preview.effects.length === 0) return null;
  const pct = (bp: number | null) => (bp === null ? '—' : `${(bp / 100).toFixed(1)}%`);
  const tier = (x: string) => (x === 'none' ? '—' : t(`plans.tiers.${x}`));
  return (
    <Table
      data-testid="adjustment-effects"
      style={{ marginTop: 12 }}
      size="small"
      rowKey="cellId"
      pagination={false}
      title={() => t('adjustments.effects')}
      dataSource={preview.effects}
      columns={[
        {
          title: t('adjustments.col.owner'),
          render: (_, e) => {
            const c = preview.changes.find((x) => x.cellId === e.cellId);
            return c ? `${localName(c.nameZh, c.nameEn)} · ${e.period}` : e.period;
          },
        },
        {
          title: t('adjustments.actualToDate'),
          align: 'right',
          render: (_, e) => (isMoney ? money.format(e.actual) : e.actual),
        },
        {
          title: t('adjustments.attainment'),
          align: 'right',
          render: (_, e) => `${pct(e.before.attainmentBp)} → ${pct(e.after.attainmentBp)}`,
        },
        {
          title: t('adjustments.tier'),
          render: (_, e) => `${tier(e.before.tier)} → ${tier(e.after.tier)}`,
        },
      ]}
    />
  );
}

function currentMonth(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}
