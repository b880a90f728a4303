import { DownOutlined, ExportOutlined, ImportOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, withQuery } from '../api/client.ts';
import { describeError } from '../format/errors.ts';
import type { ImportKind } from '../api/types.ts';
import { ImportDialog } from './import-dialog.tsx';

/**
 * The Import / Export pair every master-data page carries. After an import, every query under
 * `invalidate` is refetched (e.g. ['members'] and ['org-units'], whose member counts changed).
 */
export function ImportExportButtons({
  kind,
  invalidate,
  canImport = true,
  named = false,
}: {
  kind: ImportKind;
  invalidate: string[];
  canImport?: boolean;
  /** Name the data in the button text, for pages that carry more than one pair. */
  named?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const href = (format: 'xlsx' | 'csv') =>
    withQuery(`/exports/${kind}`, { format, lang: i18n.language });
  // A large list is exported by a background job: the request returns at once and the file
  // waits on the 后台任务 page.
  const exportInBackground = async () => {
    try {
      await api.post<{ jobId: number }>(`/exports/${kind}/jobs`, {
        format: 'xlsx',
        lang: i18n.language === 'en' ? 'en' : 'zh-CN',
      });
      void message.success({
        content: (
          <span data-testid="export-job-started">
            {t('common.exportStarted')}{' '}
            {/* The message renders outside the router: navigate from here, not with <Link>. */}
            <a
              href="/jobs"
              onClick={(e) => {
                e.preventDefault();
                void navigate('/jobs');
              }}
            >
              {t('common.openJobs')}
            </a>
          </span>
        ),
        duration: 6,
      });
    } catch (e) {
      void message.error(describeError(e, i18n.language, t('common.networkError')));
    }
  };

  return (
    <Space>
      {canImport && (
        <Button
          icon={<ImportOutlined />}
          onClick={() => setOpen(true)}
          data-testid={`import-button-${kind}`}
        >
          {named
            ? t('common.importWhat', { what: t(`imports.kinds.${kind}`) })
            : t('common.import')}
        </Button>
      )}
      <Dropdown
        menu={{
          items: [
            {
              key: 'xlsx',
              label: (
                <a href={href('xlsx')} download>
                  {t('common.exportXlsx')}
                </a>
              ),
            },
            {
              key: 'csv',
              label: (
                <a href={href('csv')} download>
                  {t('common.exportCsv')}
                </a>
              ),
            },
            { type: 'divider' },
            {
              key: 'background',
              label: (
                <span data-testid={`export-background-${kind}`}>
                  {t('common.exportBackground')}
                </span>
              ),
              onClick: () => void exportInBackground(),
            },
          ],
        }}
      >
        <Button icon={<ExportOutlined />} data-testid={`export-button-${kind}`}>
          {named
            ? t('common.exportWhat', { what: t(`imports.kinds.${kind}`) })
            : t('common.export')}{' '}
          <DownOutlined />
        </Button>
      </Dropdown>
      <ImportDialog
        kind={kind}
        open={open}
        onClose={() => setOpen(false)}
        onImported={() => {
          for (const key of invalidate) void qc.invalidateQueries({ queryKey: [key] });
        }}
      />
    </Space>
  );
}
