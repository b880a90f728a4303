import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Modal,
  Progress,
  Result,
  Space,
  Statistic,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError, uploadFile, withQuery, type Problem } from '../api/client.ts';
import type { ImportKind, ImportResult } from '../api/types.ts';
import { describeError } from '../format/errors.ts';

type Phase =
  | { name: 'idle' }
  | { name: 'uploading'; percent: number }
  | { name: 'done'; result: ImportResult }
  | { name: 'failed'; error: unknown };

interface ImportDialogProps {
  kind: ImportKind;
  open: boolean;
  onClose: () => void;
  /** Called after a successful import, to refresh whatever lists show this data. */
  onImported?: (result: ImportResult) => void;
}

/**
 * Upload a CSV/XLSX file for one kind of master data. The server applies a file all-or-nothing:
 * on 422 it lists every bad row and column, and nothing was changed — the dialog says so plainly.
 */
export function ImportDialog({ kind, open, onClose, onImported }: ImportDialogProps) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });

  const reset = () => {
    setFile(null);
    setPhase({ name: 'idle' });
  };
  const close = () => {
    if (phase.name === 'uploading') return;
    reset();
    onClose();
  };

  const start = async () => {
    if (!file) return;
    setPhase({ name: 'uploading', percent: 0 });
    try {
      const result = await uploadFile<ImportResult>(`/imports/${kind}`, file, (percent) =>
        setPhase({ name: 'uploading', percent }),
      );
      setPhase({ name: 'done', result });
      onImported?.(result);
    } catch (error) {
      setPhase({ name: 'failed', error });
    }
  };

  const what = t(`imports.kinds.${kind}`);
  const templateHref = withQuery(`/imports/${kind}/template`, { lang: i18n.language });

  return (
    <Modal
      open={open}
      title={t('imports.title', { what })}
      onCancel={close}
      width={720}
      destroyOnHidden
      footer={
        phase.name === 'done' || phase.name === 'failed' ? (
          <Space>
            <Button onClick={reset}>{t('imports.another')}</Button>
            <Button type="primary" onClick={close}>
              {t('common.close')}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={close} disabled={phase.name === 'uploading'}>
              {t('common.cancel')}
            </Button>
            <Button
              type="primary"
              icon={<UploadOutlined />}
              disabled={!file}
              loading={phase.name === 'uploading'}
              onClick={() => void start()}
              data-testid="import-submit"
            >
              {t('imports.upload')}
            </Button>
          </Space>
        )
      }
    >
      <div data-testid="import-dialog">
        {(phase.name === 'idle' || phase.name === 'uploading') && (
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('imports.templateHint')}{' '}
              <a href={templateHref} download data-testid="import-template">
                <DownloadOutlined /> {t('imports.downloadTemplate')}
              </a>
            </Typography.Paragraph>
            <Upload.Dragger
              accept=".csv,.xlsx"
              maxCount={1}
              disabled={phase.name === 'uploading'}
              beforeUpload={(f) => {
                setFile(f);
                return false; // we upload ourselves, with progress
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.dropHint')}</p>
              <p className="ant-upload-hint">.xlsx / .csv</p>
            </Upload.Dragger>
            {phase.name === 'uploading' && (
              <div>
                <Progress percent={phase.percent} status="active" data-testid="import-progress" />
                <Typography.Text type="secondary">
                  {phase.percent < 100 ? t('imports.uploading') : t('imports.processing')}
                </Typography.Text>
              </div>
            )}
          </Space>
        )}
        {phase.name === 'done' && <ImportSummary result={phase.result} />}
        {phase.name === 'failed' && <ImportFailure error={phase.error} />}
      </div>
    </Modal>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  return (
    <Result
      status="success"
      title={t('imports.success')}
      subTitle={t('imports.summary', { ...result })}
      extra={
        <Space size="large" data-testid="import-summary">
          <Statistic title={t('imports.created')} value={result.created} />
          <Statistic title={t('imports.updated')} value={result.updated} />
          <Statistic title={t('imports.unchanged')} value={result.unchanged} />
        </Space>
      }
    />
  );
}

function ImportFailure({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const problems: Problem[] = isApiError(error) ? error.problems : [];
  const message = describeError(error, i18n.language, t('common.networkError'));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-problems">
      <Alert
        type="error"
        showIcon
        title={message}
        description={
          error instanceof ApiError && error.status === 422
            ? t('imports.nothingApplied')
            : undefined
        }
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
              render: (v?: number) => v ?? '—',
            },
            {
              title: t('imports.column'),
              dataIndex: 'column',
              width: 160,
              render: (v?: string) => v ?? '—',
            },
            { title: t('imports.message'), dataIndex: 'message' },
          ]}
        />
      )}
    </Space>
  );
}
