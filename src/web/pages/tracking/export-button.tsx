import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  exportHref,
  type BreakdownBy,
  type ExportTable,
  type Granularity,
  type NodeScope,
  type RankBy,
} from './tracking-api.ts';

/** Downloads the table as the server builds it (xlsx): same node, period and metric as on screen. */
export function ExportButton({
  table,
  scope,
  by,
  granularity,
  rankBy,
}: {
  table: ExportTable;
  scope: NodeScope;
  by?: BreakdownBy;
  granularity?: Granularity;
  rankBy?: RankBy;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Button
      size="small"
      icon={<DownloadOutlined />}
      href={exportHref(table, scope, { by, granularity, rankBy, lang: i18n.language })}
      download
      data-testid={`export-${table}`}
    >
      {t('common.exportXlsx')}
    </Button>
  );
}
