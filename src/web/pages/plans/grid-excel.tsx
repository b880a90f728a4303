import { ExportOutlined, ImportOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Result, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { gridImportResponse } from '../../../api/plans/excel-routes.ts';
import { isApiError, uploadFile, withQuery, type Problem } from '../../api/client.ts';
import { describeError } from '../../format/errors.ts';
import { useMoney } from '../../format/money.tsx';
import { PLAN_KEYS, type VersionDetail } from './plan-api.ts';

type ImportResult = z.infer<typeof gridImportResponse>;
type Phase =
  | { name: 'idle' }
  | { name: 'uploading' }
  | { name: 'done'; result: ImportResult }
  | { name: 'failed'; error: unknown };

/** Excel round trip of the grid: download (totals as formulas, lock marks), edit, upload all-or-nothing. */
export function GridExcelButtons({ v, canImport }: { v: VersionDetail; canImport: boolean }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const href = withQuery(`/plan-versions/${v.id}/grid.xlsx`, {
    metric: 'revenue',
    lang: i18n.language,
    unit: money.unit === 'yuan' ? 'yuan' : 'wan',
  });

  const close = () => {
    if (phase.name === 'uploading') return;
    setOpen(false);
    setFile(null);
    setPhase({ name: 'idle' });
  };
  const start = async () => {
    if (!file) return;
    setPhase({ name: 'uploading' });
    try {
      const result = await uploadFile<ImportResult>(
        `/plan-versions/${v.id}/grid-import`,
        file,
        () => undefined,
      );
      setPhase({ name: 'done', result });
      await Promise.all(PLAN_KEYS.map((k) => qc.invalidateQueries({ queryKey: [k] })));
    } catch (error) {
      setPhase({ name: 'failed', error });
    }
  };
  const problems: Problem[] =
    phase.name === 'failed' && isApiError(phase.error) ? phase.error.problems : [];

  return (
    <Space size={4}>
      <Button size="small" icon={<ExportOutlined />} href={href} download data-testid="grid-export">
        {t('common.exportXlsx')}
      </Button>
      {canImport && (
        <Button
          size="small"
          icon={<ImportOutlined />}
          onClick={() => setOpen(true)}
          data-testid="grid-import"
        >
          {t('common.import')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('plans.excel.importTitle')}
        onCancel={close}
        destroyOnHidden
        width={680}
        footer={
          phase.name === 'done' || phase.name === 'failed' ? (
            <Button type="primary" onClick={close}>
              {t('common.close')}
            </Button>
          ) : (
            <Space>
              <Button onClick={close}>{t('common.cancel')}</Button>
              <Button
                type="primary"
                disabled={!file}
                loading={phase.name === 'uploading'}
                onClick={() => void start()}
              >
                {t('imports.upload')}
              </Button>
            </Space>
          )
        }
      >
        {(phase.name === 'idle' || phase.name === 'uploading') && (
          <Upload.Dragger
            accept=".xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('plans.excel.dropHint')}</p>
          </Upload.Dragger>
        )}
        {phase.name === 'done' && (
          <Result
            status="success"
            title={t('plans.excel.done', {
              changed: phase.result.changed,
              respread: phase.result.respread,
            })}
          />
        )}
        {phase.name === 'failed' && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert
              type="error"
              showIcon
              title={describeError(phase.error, i18n.language, t('common.networkError'))}
              description={t('imports.nothingApplied')}
            />
            {problems.length > 0 && (
              <Table<Problem & { key: number }>
                size="small"
                dataSource={problems.map((p, key) => ({ ...p, key }))}
                pagination={problems.length > 10 ? { pageSize: 10, size: 'small' } : false}
                columns={[
                  {
                    title: t('imports.row'),
                    dataIndex: 'row',
                    width: 70,
                    render: (x?: number) => x ?? '—',
                  },
                  {
                    title: t('imports.column'),
                    dataIndex: 'column',
                    width: 160,
                    render: (x?: string) => x ?? '—',
                  },
                  { title: t('imports.message'), dataIndex: 'message' },
                ]}
              />
            )}
          </Space>
        )}
      </Modal>
    </Space>
  );
}
