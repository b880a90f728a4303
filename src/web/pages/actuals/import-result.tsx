import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Result, Space, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError, withQuery, type Problem } from '../../api/client.ts';
import { describeError } from '../../format/errors.ts';
import type { FactImportResult } from './facts-api.ts';

/** The problems of a file, by row and column, as the server reported them. */
export function ProblemsTable({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation();
  return (
    <Table<Problem & { key: number }>
      size="small"
      data-testid="actuals-problems-table"
      dataSource={problems.map((p, key) => ({ ...p, key }))}
      pagination={problems.length > 10 ? { pageSize: 10, size: 'small' } : false}
      columns={[
        { title: t('imports.row'), dataIndex: 'row', width: 70, render: (v?: number) => v ?? '—' },
        {
          title: t('imports.column'),
          dataIndex: 'column',
          width: 160,
          render: (v?: string) => v ?? '—',
        },
        { title: t('imports.message'), dataIndex: 'message' },
      ]}
    />
  );
}

export function ImportSuccess({ result }: { result: FactImportResult }) {
  const { t } = useTranslation();
  const partial = result.rejected > 0;
  const created = [
    ...result.created.customers.map((c) => ({ kind: 'customers', code: c })),
    ...result.created.products.map((p) => ({ kind: 'products', code: p })),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="actuals-result">
      <Result
        status={partial ? 'warning' : 'success'}
        title={partial ? t('actuals.partial', { rejected: result.rejected }) : t('imports.success')}
        subTitle={result.dryRun ? t('actuals.dryRunDone') : undefined}
        style={{ padding: '16px 0' }}
        extra={
          <Space size="large" wrap data-testid="actuals-summary">
            <Statistic title={t('imports.rows')} value={result.rows} />
            <Statistic title={t('actuals.inserted')} value={result.inserted} />
            <Statistic title={t('imports.updated')} value={result.updated} />
            <Statistic title={t('imports.unchanged')} value={result.unchanged} />
            <Statistic
              title={t('actuals.rejected')}
              value={result.rejected}
              valueStyle={partial ? { color: '#cf1322' } : undefined}
            />
          </Space>
        }
      />
      {result.futureDated.count > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="actuals-future-dated"
          title={t('actuals.futureDated', {
            count: result.futureDated.count,
            rows:
              result.futureDated.rows.join(', ') +
              (result.futureDated.count > result.futureDated.rows.length ? ' …' : ''),
          })}
        />
      )}
      {result.rounded.count > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="actuals-rounded"
          title={t('actuals.rounding.done', {
            count: result.rounded.count,
            difference: result.rounded.differenceFen,
          })}
        />
      )}
      {created.length > 0 && (
        <Descriptions
          size="small"
          bordered
          column={1}
          data-testid="actuals-created"
          items={(['customers', 'products'] as const)
            .filter((k) => result.created[k].length > 0)
            .map((k) => ({
              key: k,
              label: t(`actuals.createdWhat.${k}`, { n: result.created[k].length }),
              children: (
                <Space wrap size={[4, 4]}>
                  {result.created[k].map((c) => (
                    <Tag key={c}>{c}</Tag>
                  ))}
                </Space>
              ),
            }))}
        />
      )}
      {result.badRowsFileId && (
        <Alert
          type="warning"
          showIcon
          title={t('actuals.badRowsHint')}
          action={
            <Button
              size="small"
              icon={<DownloadOutlined />}
              href={withQuery(`/facts/bad-rows/${result.badRowsFileId}`)}
              download
              data-testid="actuals-bad-rows"
            >
              {t('actuals.downloadBadRows')}
            </Button>
          }
        />
      )}
      {result.problems && result.problems.length > 0 && (
        <ProblemsTable problems={result.problems} />
      )}
    </Space>
  );
}

export function ImportFailure({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const problems: Problem[] = isApiError(error) ? error.problems : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="actuals-failure">
      <Alert
        type="error"
        showIcon
        title={describeError(error, i18n.language, t('common.networkError'))}
        description={
          isApiError(error) && error.status === 422 ? t('imports.nothingApplied') : undefined
        }
      />
      {problems.length > 0 && <ProblemsTable problems={problems} />}
    </Space>
  );
}
