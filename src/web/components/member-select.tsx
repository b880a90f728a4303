import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Member, Paged } from '../api/types.ts';
import { useLocalName } from '../format/names.ts';

/** Searchable member picker; `initialLabel` names the current value before any search ran. */
export function MemberSelect({
  value,
  onChange,
  initialLabel,
  id,
  allowClear = true,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  initialLabel?: string | null;
  id?: string;
  allowClear?: boolean;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q);
  const found = useQuery({
    queryKey: ['members', 'pick', deferred],
    queryFn: () => api.get<Paged<Member>>('/members', { q: deferred, pageSize: 20 }),
  });
  const options = (found.data?.items ?? []).map((m) => ({
    value: m.id,
    label: `${localName(m.nameZh, m.nameEn)} (${m.code})`,
  }));
  if (value && initialLabel && !options.some((o) => o.value === value))
    options.unshift({ value, label: initialLabel });
  return (
    <Select<number>
      id={id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={found.isFetching}
      allowClear={allowClear}
      placeholder={t('common.selectPlaceholder')}
      notFoundContent={t('common.empty')}
    />
  );
}
