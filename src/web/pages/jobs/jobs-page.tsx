import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Popconfirm,
  Progress,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, withQuery } from '../../api/client.ts';
import type { JobView } from '../../api/types.ts';
import { Page } from '../../components/page.tsx';
import { LoadError } from '../../components/query-state.tsx';
import { useCurrentUser } from '../../session/use-me.ts';

const STATE_COLOR: Record<JobView['state'], string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'warning',
};

interface ImportOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  badRowsFileId?: string | null;
}

const isImportOutcome = (r: unknown): r is ImportOutcome =>
  typeof r === 'object' && r !== null && 'inserted' in r && 'rejected' in r;

interface ExportOutcome {
  fileId: string;
  fileName: string;
  rows: number;
}

const isExportOutcome = (r: unknown): r is ExportOutcome =>
  typeof r === 'object' && r !== null && 'fileId' in r && 'fileName' in r;

/** The user's background jobs (an admin may see everyone's), refreshed while any is unfinished. */
export default function JobsPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [all, setAll] = useState(false);
  const jobs = useQuery({
    queryKey: ['jobs', all],
    queryFn: () => api.get<JobView[]>('/jobs', { all: all ? 'true' : undefined }),
    refetchInterval: (q) =>
      q.state.data?.some((j) => j.state === 'queued' || j.state === 'running') ? 1500 : false,
  });
  const cancel = useMutation({
    mutationFn: (id: number) => api.post<JobView>(`/jobs/${id}/cancel`, {}),
    onSuccess: () => {
      void message.success(t('jobs.cancelled'));
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: (e) => void message.error(errorMessage(e, t('common.error'))),
  });
  const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '');
  const number = (n: number) => n.toLocaleString(i18n.language);

  return (
    <Page
      title={t('jobs.title')}
      testId="jobs-page"
      extra={
        me.role === 'admin' && (
          <Space>
            <Switch checked={all} onChange={setAll} data-testid="jobs-all" />
            {t('jobs.allUsers')}
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('jobs.subtitle')}</Typography.Paragraph>
      {jobs.isError ? (
        <LoadError error={jobs.error} />
      ) : (
        <Card size="small">
          <Table<JobView>
            rowKey="id"
            size="small"
            loading={jobs.isLoading}
            dataSource={jobs.data ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: t('jobs.empty') }}
            data-testid="jobs-table"
            columns={[
              { title: t('jobs.id'), dataIndex: 'id', width: 70 },
              {
                title: t('jobs.what'),
                key: 'what',
                width: 200,
                render: (_, j) => (
                  <Space direction="vertical" size={0}>
                    <span>{j.label || '—'}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`jobs.kinds.${j.kind.replace(/\./g, '_')}`, { defaultValue: j.kind })}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('jobs.state'),
                key: 'state',
                width: 120,
                render: (_, j) => (
                  <Space direction="vertical" size={0}>
                    <Tag color={STATE_COLOR[j.state]} data-testid={`job-state-${j.id}`}>
                      {t(`jobs.states.${j.state}`)}
                    </Tag>
                    {j.attempts > 1 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('jobs.attempts', { n: j.attempts })}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: t('jobs.progress'),
                key: 'progress',
                width: 200,
                render: (_, j) =>
                  j.total ? (
                    <Space direction="vertical" size={0} style={{ width: '100%' }}>
                      <Progress
                        size="small"
                        percent={Math.floor((100 * j.done) / j.total)}
                        status={
                          j.state === 'failed' || j.state === 'cancelled'
                            ? 'exception'
                            : j.state === 'running'
                              ? 'active'
                              : undefined
                        }
                      />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {number(j.done)} / {number(j.total)}
                      </Typography.Text>
                    </Space>
                  ) : null,
              },
              {
                title: t('jobs.outcome'),
                key: 'outcome',
                width: 340,
                render: (_, j) => {
                  if (j.error)
                    return (
                      <Typography.Paragraph
                        type="danger"
                        style={{ margin: 0 }}
                        ellipsis={{ rows: 3, expandable: true, symbol: t('jobs.more') }}
                        data-testid={`job-error-${j.id}`}
                      >
                        {j.error.message}
                        {j.error.problems.length > 0 &&
                          ` (${j.error.problems
                            .slice(0, 3)
                            .map((p) =>
                              p.row
                                ? `${t('jobs.row', { row: p.row })} ${p.column ?? ''}：${p.message}`
                                : p.message,
                            )
                            .join('；')}${j.error.problems.length > 3 ? '…' : ''})`}
                      </Typography.Paragraph>
                    );
                  if (j.state === 'succeeded' && isExportOutcome(j.result))
                    return (
                      <a
                        href={withQuery(`/jobs/files/${j.result.fileId}`)}
                        download
                        data-testid={`job-file-${j.id}`}
                      >
                        {t('jobs.download', {
                          name: j.result.fileName,
                          rows: number(j.result.rows),
                        })}
                      </a>
                    );
                  if (j.state === 'succeeded' && isImportOutcome(j.result))
                    return (
                      <Space direction="vertical" size={0}>
                        <span>
                          {t('jobs.summary', {
                            inserted: number(j.result.inserted),
                            updated: number(j.result.updated),
                            unchanged: number(j.result.unchanged),
                            rejected: number(j.result.rejected),
                          })}
                        </span>
                        {j.result.badRowsFileId && (
                          <a href={withQuery(`/jobs/files/${j.result.badRowsFileId}`)}>
                            {t('jobs.badRows')}
                          </a>
                        )}
                      </Space>
                    );
                  return null;
                },
              },
              {
                title: t('jobs.createdAt'),
                dataIndex: 'createdAt',
                width: 160,
                render: (v: string) => time(v),
              },
              {
                title: t('jobs.finishedAt'),
                dataIndex: 'finishedAt',
                width: 160,
                render: (v: string | null) => time(v),
              },
              {
                key: 'actions',
                width: 90,
                render: (_, j) =>
                  (j.state === 'queued' || j.state === 'running') &&
                  !j.cancelRequested && (
                    <Popconfirm
                      title={t('jobs.cancelConfirm')}
                      onConfirm={() => cancel.mutate(j.id)}
                    >
                      <Button size="small" danger data-testid={`job-cancel-${j.id}`}>
                        {t('jobs.cancel')}
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </Card>
      )}
    </Page>
  );
}
