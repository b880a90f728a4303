import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Dimension, DimensionItem } from '../api/types.ts';
import { useLocalName } from '../format/names.ts';

export function useDimension(dimension: Dimension) {
  return useQuery({
    queryKey: ['dimensions', dimension],
    queryFn: () => api.get<DimensionItem[]>(`/dimensions/${dimension}`),
    staleTime: 300_000,
  });
}

/** Pick a member of one dimension (a channel, a region, a segment, a customer type). */
export function DimensionSelect({
  dimension,
  value,
  onChange,
  placeholder,
  style,
  id,
}: {
  dimension: Dimension;
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
}) {
  const { t } = useTranslation();
  const items = useDimension(dimension);
  const localName = useLocalName();
  return (
    <Select<number>
      id={id}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      loading={items.isPending}
      placeholder={placeholder ?? t('common.selectPlaceholder')}
      style={style}
      options={(items.data ?? []).map((d) => ({
        value: d.id,
        label: localName(d.nameZh, d.nameEn),
      }))}
      notFoundContent={t('common.empty')}
    />
  );
}
