import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  InputNumber,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, errorMessage, uploadFile } from '../../api/client.ts';
import { Page } from '../../components/page.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useMoney } from '../../format/money.tsx';
import { ChainSteps } from './chain-steps.tsx';
import { DiffTable } from './diff-table.tsx';
import { durationText, STATE_COLOR, type AdjustmentDetail } from './adjustment-api.ts';

/**
 * One request: its state, reason and evidence, every cell before and after (what it changed once
 * applied, what it would change now before), the chain with who each approver is and the time
 * each step took, and the actions the reader may take (approve, reject, recall, amend, send).
 */
export default function AdjustmentPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['adjustment', Number(id)],
    queryFn: () => api.get<AdjustmentDetail>(`/adjustments/${id}`),
  });
  return (
    <Page title={t('adjustments.detailTitle', { id })} testId="adjustment-page">
      <QueryState query={detail}>{(d) => <Detail d={d} />}</QueryState>
    </Page>
  );
}

function Detail({ d }: { d: AdjustmentDetail }) {
  const { t } = useTranslation();
  const money = useMoney();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [amending, setAmending] = useState(false);
  const [amended, setAmended] = useState<Record<number, number>>({});
  const [amendText, setAmendText] = useState(d.reasonText);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['adjustment', d.id] });
    void qc.invalidateQueries({ queryKey: ['adjustments'] });
  };
  const act = useMutation({
    mutationFn: (action: 'approve' | 'reject' | 'recall' | 'send') =>
      api.post<AdjustmentDetail>(
        `/adjustments/${d.id}/${action}`,
        action === 'send' ? { version: d.version } : { version: d.version, comment },
      ),
    onSuccess: () => {
      setComment('');
      refresh();
    },
    onError: (e) => void message.error(errorMessage(e, t('adjustments.failed'))),
  });
  const amend = useMutation({
    mutationFn: () =>
      api.put<AdjustmentDetail>(`/adjustments/${d.id}`, {
        version: d.version,
        spec: {
          versionId: d.versionId,
          cells: d.requested.map((c) => ({
            cellId: c.cellId,
            value: amended[c.cellId] ?? c.after,
          })),
        },
        reasonCategory: d.reasonCategory,
        reasonText: amendText,
        alertId: d.alertId,
      }),
    onSuccess: () => {
      setAmending(false);
      refresh();
    },
    onError: (e) => void message.error(errorMessage(e, t('adjustments.failed'))),
  });
  const canAmend = d.mine && ['draft', 'rejected', 'recalled'].includes(d.state);
  const waitedOn = (i: number): string | null => {
    const s = d.trail.filter((x) => x.step === i && x.decision !== 'recall').at(-1);
    if (s) return t('adjustments.waited', { time: durationText(s.waitedMs, t) });
    if (d.state === 'pending' && i === d.currentStep && d.stepEnteredAt)
      return t('adjustments.waiting', {
        time: durationText(Date.now() - Date.parse(d.stepEnteredAt), t),
      });
    return null;
  };

  return (
    <>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('adjustments.col.state')}>
            <Tag color={STATE_COLOR[d.state]} data-testid="adjustment-state">
              {t(`adjustments.states.${d.state}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('adjustments.col.requester')}>
            {d.requester}
          </Descriptions.Item>
          <Descriptions.Item label={t('adjustments.reasonCategory')}>
            {t(`adjustments.reasons.${d.reasonCategory}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('adjustments.col.delta')}>
            {money.format(d.delta)}
          </Descriptions.Item>
          {d.alertId !== null && (
            <Descriptions.Item label={t('adjustments.alert')}>
              <a href={`/?alert=${d.alertId}`}>{t('adjustments.alertLink', { id: d.alertId })}</a>
            </Descriptions.Item>
          )}
          {d.appliedAt && (
            <Descriptions.Item label={t('adjustments.states.applied')}>
              {t('adjustments.appliedAt', { at: d.appliedAt.slice(0, 16).replace('T', ' ') })}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>
          {d.reasonText}
        </Typography.Paragraph>
        <Space wrap>
          {d.awaitingMe && (
            <>
              <Input.TextArea
                data-testid="adjustment-comment"
                rows={1}
                style={{ width: 280 }}
                placeholder={t('adjustments.comment')}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
              <Button
                type="primary"
                data-testid="adjustment-approve"
                loading={act.isPending && act.variables === 'approve'}
                onClick={() => act.mutate('approve')}
              >
                {t('adjustments.approve')}
              </Button>
              <Button
                danger
                loading={act.isPending && act.variables === 'reject'}
                onClick={() =>
                  comment.trim() === ''
                    ? void message.warning(t('adjustments.commentRequired'))
                    : act.mutate('reject')
                }
              >
                {t('adjustments.reject')}
              </Button>
            </>
          )}
          {d.mine && d.state === 'pending' && (
            <Button onClick={() => act.mutate('recall')}>{t('adjustments.recall')}</Button>
          )}
          {d.mine && d.state === 'draft' && (
            <Button type="primary" onClick={() => act.mutate('send')}>
              {t('adjustments.send')}
            </Button>
          )}
          {canAmend && !amending && (
            <Button onClick={() => setAmending(true)}>{t('adjustments.amend')}</Button>
          )}
          <Button href={`/api/adjustments/${d.id}/export.xlsx`}>{t('adjustments.export')}</Button>
        </Space>
      </Card>

      {d.previewError === 'ADJUSTMENT_PLAN_MOVED' && (
        <Alert type="warning" style={{ marginBottom: 12 }} title={t('adjustments.planMoved')} />
      )}

      {amending && (
        <Card size="small" title={t('adjustments.amend')} style={{ marginBottom: 12 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {d.requested.map((c) => (
              <Space key={c.cellId}>
                <span style={{ minWidth: 160, display: 'inline-block' }}>
                  {d.changes.find((x) => x.cellId === c.cellId)?.nameZh ??
                    `${c.ownerType}:${c.ownerId}`}{' '}
                  · {c.period}
                </span>
                <InputNumber
                  value={(amended[c.cellId] ?? c.after) / money.perUnit}
                  onChange={(v) =>
                    setAmended((a) => ({
                      ...a,
                      [c.cellId]: v === null ? c.after : Math.round(Number(v) * money.perUnit),
                    }))
                  }
                />
                <Typography.Text type="secondary">{money.label}</Typography.Text>
              </Space>
            ))}
            <Input.TextArea
              rows={2}
              value={amendText}
              onChange={(e) => setAmendText(e.target.value)}
            />
            <Space>
              <Button type="primary" loading={amend.isPending} onClick={() => amend.mutate()}>
                {t('adjustments.saveAmend')}
              </Button>
              <Button onClick={() => setAmending(false)}>{t('common.cancel')}</Button>
            </Space>
          </Space>
        </Card>
      )}

      <Row gutter={12}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('adjustments.changes')} style={{ marginBottom: 12 }}>
            <DiffTable rows={d.changes} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('adjustments.chain')} style={{ marginBottom: 12 }}>
            {d.chain.length > 0 && (
              <ChainSteps
                chain={d.chain}
                current={d.currentStep}
                state={d.state}
                extra={waitedOn}
              />
            )}
          </Card>
          <Card size="small" title={t('adjustments.trail')} style={{ marginBottom: 12 }}>
            <Timeline
              data-testid="adjustment-trail"
              items={d.trail.map((s) => ({
                color:
                  s.decision === 'reject' ? 'red' : s.decision === 'approve' ? 'green' : 'blue',
                content: (
                  <>
                    <strong>{t(`adjustments.decisions.${s.decision}`)}</strong> · {s.by ?? '—'} ·{' '}
                    {s.decidedAt.slice(0, 16).replace('T', ' ')}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      ({t('adjustments.waited', { time: durationText(s.waitedMs, t) })})
                    </Typography.Text>
                    {s.comment && <div>{s.comment}</div>}
                  </>
                ),
              }))}
            />
          </Card>
          <Card size="small" title={t('adjustments.files')}>
            {d.files.length === 0 && (
              <Typography.Text type="secondary">{t('adjustments.noFiles')}</Typography.Text>
            )}
            <ul style={{ paddingLeft: 18, margin: 0 }}>
              {d.files.map((f) => (
                <li key={f.id}>
                  <a href={`/api/adjustments/${d.id}/files/${f.id}`}>{f.name}</a>{' '}
                  <Typography.Text type="secondary">
                    ({Math.ceil(f.size / 1024)} KB)
                  </Typography.Text>
                </li>
              ))}
            </ul>
            {d.mine && d.state !== 'applied' && (
              <Upload
                showUploadList={false}
                customRequest={({ file, onSuccess, onError }) => {
                  uploadFile(`/adjustments/${d.id}/files`, file as File, () => {})
                    .then((r) => {
                      onSuccess?.(r);
                      refresh();
                    })
                    .catch((e: unknown) => {
                      onError?.(e as Error);
                      void message.error(errorMessage(e, t('adjustments.failed')));
                    });
                }}
              >
                <Button size="small" icon={<UploadOutlined />} style={{ marginTop: 8 }}>
                  {t('adjustments.upload')}
                </Button>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('adjustments.uploadHint')}
                  </Typography.Text>
                </div>
              </Upload>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
