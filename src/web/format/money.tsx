import { Input, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  decimalsFor,
  fenPerUnit,
  formatMoney,
  parseMoney,
  unitLabel,
  type FormatMoneyOptions,
} from '../../domain/money.ts';
import type { AmountUnit } from '../api/types.ts';
import { useMe, useSavePreferences } from '../session/use-me.ts';
import { describeError } from './errors.ts';

const UNITS: AmountUnit[] = ['yuan', 'wan', 'yi'];

function useAmountUnit(): AmountUnit {
  const { data } = useMe();
  return data?.amountUnit ?? 'wan';
}

/**
 * Money display in the user's chosen scale (元 / 万元 / 亿元). Amounts travel as integer fen;
 * formatting is exact (the domain formatter rounds with BigInt), so a column sums the same way
 * on screen as in the database.
 */
export function useMoney() {
  const unit = useAmountUnit();
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return useMemo(
    () => ({
      unit,
      /** '1,200.00万' / '¥12,000.00K'; '—' for a missing amount. */
      format: (fen: number | null | undefined, opts: Omit<FormatMoneyOptions, 'locale'> = {}) =>
        fen === null || fen === undefined
          ? '—'
          : formatMoney(fen, unit, { locale, decimals: decimalsFor(fen, unit, locale), ...opts }),
      /** Unit prices read naturally only in 元 ('2,999.00元', never '0.30万'), whatever the preference. */
      formatPrice: (fen: number | null | undefined) =>
        fen === null || fen === undefined ? '—' : formatMoney(fen, 'yuan', { locale }),
      /** Column-header suffix for tables printed without units: '万元' / '¥K'. */
      label: unitLabel(unit, locale),
      /** Fen per display unit, for chart coordinates: 10^6 for 万元, 10^5 for ¥K. */
      perUnit: fenPerUnit(unit, locale),
    }),
    [unit, locale],
  );
}

export function AmountUnitSwitch() {
  const { t } = useTranslation();
  const unit = useAmountUnit();
  const save = useSavePreferences();
  return (
    <Select<AmountUnit>
      data-testid="amount-unit-switch"
      size="small"
      value={unit}
      style={{ width: 130 }}
      aria-label={t('nav.amountUnit')}
      loading={save.isPending}
      onChange={(amountUnit) => save.mutate({ amountUnit })}
      options={UNITS.map((u) => ({ value: u, label: t(`enums.amountUnit.${u}`) }))}
    />
  );
}

/**
 * Form value of a MoneyInput: fen, null when empty, or the raw text while it does not parse —
 * so `moneyRules` can block submit with the precise reason ("at most 2 decimals").
 */
export type MoneyValue = number | null | string;

interface MoneyInputProps {
  value?: MoneyValue;
  onChange?: (value: MoneyValue) => void;
  placeholder?: string;
  id?: string;
  'data-testid'?: string;
}

/** Accepts what people type: '120万', '1.2亿', '¥1,234.56', '３００万元'. */
export function MoneyInput({ value, onChange, placeholder, id, ...rest }: MoneyInputProps) {
  const money = useMoney();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const shown = (v: MoneyValue | undefined) =>
    typeof v === 'number' ? formatMoney(v, money.unit, { locale }) : typeof v === 'string' ? v : '';
  const [text, setText] = useState(() => shown(value));

  // Follow outside changes (form reset, record loaded) without fighting the user's typing.
  useEffect(() => {
    setText((current) => {
      const parsed = tryParse(current);
      return typeof value === 'number' && parsed === value ? current : shown(value);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shown` only depends on the unit
  }, [value, money.unit, locale]);

  const parsed = tryParse(text);
  let hint: string | null = null;
  if (typeof parsed === 'number' && text.trim() !== '') {
    // Echo the value in the display unit only when it says something the text does not ('120万' → '= 120.00万' is noise).
    const echo = money.format(parsed, { decimals: 2 });
    if (echo !== text.trim() && shown(parsed) !== text.trim()) hint = '= ' + echo;
  } else if (parsed instanceof Error)
    hint = describeError(parsed, i18n.language, t('common.required'));

  return (
    <div>
      <Input
        id={id}
        data-testid={rest['data-testid']}
        value={text}
        placeholder={placeholder ?? t('settings.moneyPlaceholder')}
        status={parsed instanceof Error ? 'error' : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const p = tryParse(next);
          onChange?.(p instanceof Error ? next : p);
        }}
      />
      {hint && (
        <Typography.Text
          type={parsed instanceof Error ? 'danger' : 'secondary'}
          style={{ fontSize: 12 }}
        >
          {hint}
        </Typography.Text>
      )}
    </div>
  );
}

function tryParse(text: string): number | null | Error {
  if (text.trim() === '') return null;
  try {
    return parseMoney(text);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** antd Form rules for a MoneyInput; the message is the domain parser's own reason. */
export function useMoneyRules(required: boolean) {
  const { t, i18n } = useTranslation();
  return [
    { required, message: t('common.required') },
    {
      validator: async (_: unknown, v: MoneyValue | undefined) => {
        if (typeof v !== 'string') return;
        const p = tryParse(v);
        if (p instanceof Error)
          throw new Error(describeError(p, i18n.language, t('common.required')));
      },
    },
  ];
}
