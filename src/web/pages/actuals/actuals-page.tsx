import { Flex, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../components/page.tsx';
import { useCurrentUser } from '../../session/use-me.ts';
import { BatchHistory } from './batch-history.tsx';
import { FACT_KINDS, type FactKind } from './facts-api.ts';
import { ImportPanel } from './import-panel.tsx';

/** 实际数据导入: orders, collections, leads, opportunities and activities from CSV/xlsx files. */
export default function ActualsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const asked = params.get('kind');
  const kind: FactKind = FACT_KINDS.includes(asked as FactKind) ? (asked as FactKind) : 'orders';
  const canImport = me.role === 'admin' || me.role === 'manager';

  return (
    <Page
      title={t('actuals.title')}
      testId="actuals-page"
      extra={
        <Segmented<FactKind>
          value={kind}
          onChange={(k) => setParams({ kind: k }, { replace: true })}
          options={FACT_KINDS.map((k) => ({
            value: k,
            label: <span data-testid={`actuals-kind-${k}`}>{t(`actuals.kinds.${k}`)}</span>,
          }))}
        />
      }
    >
      <Flex vertical gap={16}>
        {canImport && <ImportPanel kind={kind} />}
        <BatchHistory kind={kind} canDelete={canImport} />
      </Flex>
    </Page>
  );
}
