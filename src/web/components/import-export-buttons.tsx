import { DownOutlined, ExportOutlined, ImportOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dropdown, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../api/client.ts';
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
  const href = (format: 'xlsx' | 'csv') =>
    withQuery(`/exports/${kind}`, { format, lang: i18n.language });

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
