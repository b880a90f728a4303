import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocalName } from '../format/names.ts';
import { treeOptions, useOrgUnits } from '../pages/org/org-tree.ts';

/** Pick an org unit from the tree. `exclude` greys out ids (a unit and its descendants when moving). */
export function OrgUnitSelect({
  value,
  onChange,
  exclude,
  allowClear,
  placeholder,
  style,
  id,
  'data-testid': testId,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  exclude?: Set<number>;
  allowClear?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const units = useOrgUnits();
  const localName = useLocalName();
  const treeData = useMemo(
    () =>
      treeOptions(
        units.data ?? [],
        (u) => `${localName(u.nameZh, u.nameEn)} · ${t(`enums.orgKind.${u.kind}`)}`,
        exclude,
      ),
    [units.data, exclude, localName, t],
  );
  return (
    <TreeSelect<number>
      id={id}
      data-testid={testId}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      treeData={treeData}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={allowClear}
      loading={units.isPending}
      placeholder={placeholder ?? t('common.selectPlaceholder')}
      style={{ minWidth: 200, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
