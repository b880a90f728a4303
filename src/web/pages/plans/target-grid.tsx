import { ExclamationCircleFilled, LockFilled, UnlockOutlined } from '@ant-design/icons';
import {
  Alert,
  Badge,
  Button,
  Card,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { EmptyState, LoadError, Loading } from '../../components/query-state.tsx';
import { MoneyInput, useMoney, type MoneyValue } from '../../format/money.tsx';
import { useLocalName } from '../../format/names.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { useGrid } from './decompose-tab.tsx';
import { GridExcelButtons } from './grid-excel.tsx';
import {
  liveTree,
  previewEdits,
  refsToDepth,
  shownCell,
  type LiveRow,
  type Pending,
} from './grid-model.ts';
import {
  canPlan,
  monthLabel,
  PLAN_KEYS,
  type EditCellsBody,
  type EditCellsResult,
  type GridRow,
  type VersionDetail,
} from './plan-api.ts';
import { ProposalsView } from './proposals-view.tsx';
import { WhyDrawer } from './why-drawer.tsx';

/** The grid tab: assigned targets (editable tree grid) or proposals rolled up against them. */
export function GridTab({ v }: { v: VersionDetail }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'assigned' | 'proposals'>('assigned');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Segmented
        value={view}
        onChange={(x) => setView(x as 'assigned' | 'proposals')}
        options={[
          {
            value: 'assigned',
            label: <span data-testid="view-assigned">{t('plans.grid.viewAssigned')}</span>,
          },
          {
            value: 'proposals',
            label: <span data-testid="view-proposals">{t('plans.grid.viewProposals')}</span>,
          },
        ]}
      />
      {view === 'assigned' ? <TargetGrid v={v} /> : <ProposalsView v={v} />}
    </Space>
  );
}

interface TreeRow {
  key: string;
  live: LiveRow;
  children?: TreeRow[];
}

function toTree(nodes: LiveRow[]): TreeRow[] {
  return nodes.map((n) => ({
    key: n.row.ref,
    live: n,
    ...(n.children.length ? { children: toTree(n.children) } : {}),
  }));
}

const MONTH_WIDTH = 128;

function TargetGrid({ v }: { v: VersionDetail }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const localName = useLocalName();
  const { token } = theme.useToken();
  const me = useCurrentUser();
  const grid = useGrid(v.id);
  const [pending, setPending] = useState<Pending>({});
  const [editing, setEditing] = useState<number | null>(null);
  const [whyCell, setWhyCell] = useState<number | null>(null);
  const clickTimer = useRef<number | undefined>(undefined);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const fy = `FY${v.plan.fiscalYear}`;
  const editable = v.status === 'draft';
  const dirty = Object.keys(pending).length;
  const frozen = (p: string) => v.frozenBefore !== null && p < v.frozenBefore;

  const rows = useMemo(() => grid.data?.rows ?? [], [grid.data]);
  // What saving would do, shown before it: siblings absorbing a typed value, the cells below re-spread.
  const preview = useMemo(
    () => previewEdits(rows, fy, v.frozenBefore, pending),
    [rows, fy, v.frozenBefore, pending],
  );
  const tree = useMemo(
    () => toTree(liveTree(rows, v.months, fy, pending, preview)),
    [rows, v.months, fy, pending, preview],
  );
  // Open on the first editable month: a plan copied mid-year scrolls past the frozen months.
  const firstEditable = v.months.findIndex((m) => !frozen(m));
  const tableRef = useRef<HTMLDivElement>(null);
  const loaded = grid.data !== undefined;
  useEffect(() => {
    const body = tableRef.current?.querySelector<HTMLElement>('.ant-table-body');
    if (body && firstEditable > 0) body.scrollLeft = firstEditable * MONTH_WIDTH;
  }, [loaded, firstEditable]);
  const expandedKeys = expanded ?? refsToDepth(rows, 2);

  const save = useSave({
    mutationFn: () => {
      const body: EditCellsBody = {
        // What these cells were read at: another manager's edits elsewhere in the draft do not
        // stop this save; an edit of a cell it writes (or of its siblings) since does (409).
        version: grid.data?.version ?? v.version,
        cellsRev: grid.data?.cellsRev ?? v.cellsRev,
        // Locks first: the server applies edits in order, and a value typed next to a cell locked
        // in the same batch must not be absorbed by it.
        edits: Object.entries(pending)
          .map(([cellId, e]) => ({ cellId: Number(cellId), ...e }))
          .sort((a, b) => Number(a.value !== undefined) - Number(b.value !== undefined)),
      };
      return api.put<EditCellsResult>(`/plan-versions/${v.id}/cells`, body);
    },
    invalidate: PLAN_KEYS,
    success: t('plans.grid.saved'),
    onSuccess: () => setPending({}),
    onConflict: () => setPending({}),
  });

  const stage = (
    cellId: number,
    patch: { value?: number; locked?: boolean },
    original: { value: number; locked: boolean },
  ) =>
    setPending((cur) => {
      const next = { ...cur[cellId], ...patch };
      if (next.value === original.value) delete next.value;
      if (next.locked === original.locked) delete next.locked;
      const out = { ...cur };
      if (next.value === undefined && next.locked === undefined) delete out[cellId];
      else out[cellId] = next;
      return out;
    });

  const cellView = (row: GridRow, period: string) => {
    const c = shownCell(row, period, pending, preview);
    if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
    const canEdit = editable && !frozen(period) && period !== fy;
    const original = row.cells[period];
    if (editing === c.cellId && original) {
      return (
        <CellEditor
          initial={c.value}
          onDone={(value) => {
            setEditing(null);
            // A typed number locks the cell (the server does the same); siblings absorb the difference.
            stage(c.cellId, { value, locked: true }, original);
          }}
          onCancel={() => setEditing(null)}
        />
      );
    }
    return (
      <div
        style={{
          display: 'flex',
          justifyContent: 'flex-end',
          alignItems: 'center',
          gap: 4,
          background: c.dirty ? token.colorWarningBg : c.absorbed ? token.colorInfoBg : undefined,
          borderRadius: 4,
          padding: '0 2px',
        }}
      >
        <a
          onClick={() => {
            // A double-click edits; wait a moment so its first click does not open the panel.
            window.clearTimeout(clickTimer.current);
            clickTimer.current = window.setTimeout(() => setWhyCell(c.cellId), canEdit ? 250 : 0);
          }}
          onDoubleClick={() => {
            window.clearTimeout(clickTimer.current);
            if (canEdit) setEditing(c.cellId);
          }}
          title={
            c.absorbed && original
              ? t('plans.grid.absorbedHint', { before: money.format(original.value) })
              : canEdit
                ? t('plans.grid.cellHint')
                : t('plans.grid.whyHint')
          }
          style={{
            color: frozen(period) ? token.colorTextTertiary : token.colorText,
            whiteSpace: 'nowrap',
          }}
          data-testid={`cell-${row.ref}-${period}`}
          data-absorbed={c.absorbed ? 'true' : undefined}
        >
          {money.format(c.value, { withUnit: false })}
        </a>
        {canEdit ? (
          <Tooltip title={c.locked ? t('plans.grid.unlock') : t('plans.grid.lock')}>
            <Button
              type="text"
              size="small"
              style={{ width: 18, height: 18, minWidth: 18, padding: 0 }}
              icon={
                c.locked ? (
                  <LockFilled style={{ color: token.colorWarning }} />
                ) : (
                  <UnlockOutlined style={{ color: token.colorTextQuaternary }} />
                )
              }
              onClick={() => original && stage(c.cellId, { locked: !c.locked }, original)}
              data-testid={`lock-${row.ref}-${period}`}
              aria-label={c.locked ? t('plans.grid.unlock') : t('plans.grid.lock')}
            />
          </Tooltip>
        ) : (
          c.locked && <LockFilled style={{ color: token.colorWarning, fontSize: 12 }} />
        )}
      </div>
    );
  };

  const columns: ColumnsType<TreeRow> = [
    {
      // The amounts are printed without their unit: it heads the table, once.
      title: (
        <>
          {t('plans.grid.owner')}{' '}
          <Tag bordered={false} data-testid="grid-unit">
            {money.label}
          </Tag>
        </>
      ),
      key: 'owner',
      fixed: 'left',
      width: 240,
      render: (_, r) => {
        const { row, mismatches } = r.live;
        return (
          <Space size={4}>
            <Typography.Text strong={row.ownerType === 'unit'}>
              {localName(row.nameZh, row.nameEn)}
            </Typography.Text>
            {row.ownerType === 'member' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {row.code}
              </Typography.Text>
            )}
            {mismatches.length > 0 && (
              <Tooltip
                title={t('plans.grid.mismatch', {
                  periods: mismatches
                    .map((p) => (p.endsWith(':months') ? t('plans.grid.monthsVsYear') : p))
                    .join(', '),
                })}
              >
                <Badge
                  count={<ExclamationCircleFilled style={{ color: token.colorWarning }} />}
                  data-testid={`check-${row.ref}`}
                />
              </Tooltip>
            )}
          </Space>
        );
      },
    },
    ...v.months.map((m) => ({
      title: (
        <span style={{ color: frozen(m) ? token.colorTextTertiary : undefined }}>
          {monthLabel(m, i18n.language)}
          {frozen(m) && <LockFilled style={{ marginLeft: 4, fontSize: 11 }} />}
        </span>
      ),
      key: m,
      width: MONTH_WIDTH,
      align: 'right' as const,
      render: (_: unknown, r: TreeRow) => cellView(r.live.row, m),
    })),
    {
      title: t('plans.grid.total'),
      key: 'total',
      fixed: 'right',
      width: 140,
      align: 'right',
      render: (_, r) => {
        const year = shownCell(r.live.row, fy, pending, preview);
        const off = year && year.value !== r.live.total;
        return (
          <Tooltip
            title={
              year ? t('plans.grid.yearCell', { amount: money.format(year.value) }) : undefined
            }
          >
            <Typography.Text
              strong
              type={off ? 'warning' : undefined}
              data-testid={`total-${r.live.row.ref}`}
            >
              {money.format(r.live.total, { withUnit: false })}
            </Typography.Text>
          </Tooltip>
        );
      },
    },
  ];

  if (grid.isPending) return <Loading />;
  if (grid.error) return <LoadError error={grid.error} onRetry={() => void grid.refetch()} />;
  const anyCell = rows.some((r) => Object.values(r.cells).some((c) => c !== null));

  return (
    <Card size="small" data-testid="target-grid">
      <Space wrap style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Button size="small" onClick={() => setExpanded(rows.map((r) => r.ref))}>
            {t('plans.grid.expandAll')}
          </Button>
          <Button size="small" onClick={() => setExpanded(refsToDepth(rows, 1))}>
            {t('plans.grid.collapse')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {editable ? t('plans.grid.help') : t('plans.grid.helpReadOnly')} · {money.label}
          </Typography.Text>
        </Space>
        <Space>
          <GridExcelButtons v={v} canImport={editable && canPlan(me)} />
          {editable && dirty > 0 && (
            <Typography.Text type="warning">
              {t('plans.grid.pending', { count: dirty })}
            </Typography.Text>
          )}
          {editable && (
            <Button size="small" disabled={dirty === 0} onClick={() => setPending({})}>
              {t('plans.grid.discard')}
            </Button>
          )}
          {editable && (
            <Button
              size="small"
              type="primary"
              disabled={dirty === 0}
              loading={save.isPending}
              onClick={() => save.mutate()}
              data-testid="grid-save"
            >
              {t('plans.grid.save')}
            </Button>
          )}
        </Space>
      </Space>
      {!anyCell && (
        <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('plans.grid.notBuilt')} />
      )}
      {rows.length === 0 ? (
        <EmptyState />
      ) : (
        <div ref={tableRef} data-testid="grid-table">
          <Table<TreeRow>
            size="small"
            bordered
            pagination={false}
            dataSource={tree}
            columns={columns}
            scroll={{ x: 240 + MONTH_WIDTH * v.months.length + 140, y: 620 }}
            expandable={{
              expandedRowKeys: expandedKeys,
              onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
              indentSize: 14,
            }}
          />
        </div>
      )}
      <WhyDrawer cellId={whyCell} onClose={() => setWhyCell(null)} />
    </Card>
  );
}

/** Inline editing of one cell with the house money input ('120万', '1.2亿'); Enter or leaving saves, Esc cancels. */
function CellEditor({
  initial,
  onDone,
  onCancel,
}: {
  initial: number;
  onDone: (fen: number) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState<MoneyValue>(initial);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector('input')?.select();
  }, []);
  const done = () => (typeof value === 'number' ? onDone(value) : onCancel());
  return (
    <div
      ref={ref}
      style={{ minWidth: 110 }}
      onBlur={done}
      onKeyDown={(e) => {
        if (e.key === 'Enter') done();
        if (e.key === 'Escape') onCancel();
      }}
    >
      <MoneyInput value={value} onChange={setValue} data-testid="grid-cell-input" />
    </div>
  );
}
