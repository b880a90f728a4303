import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types.ts';
import { currentLanguage, rememberLanguage } from '../i18n/index.ts';
import { LANGUAGES } from '../i18n/resources.ts';
import { meKey, useSavePreferences } from '../session/use-me.ts';

/** Switches the UI language now, remembers it on this device, and saves it to the profile when signed in. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  // Read the cache rather than subscribe: on the login page there is no session to ask about.
  const qc = useQueryClient();
  const save = useSavePreferences();
  const change = (locale: Locale) => {
    rememberLanguage(locale);
    void i18n.changeLanguage(locale);
    if (qc.getQueryData(meKey)) save.mutate({ locale });
  };
  return (
    <Select<Locale>
      data-testid="language-switch"
      size="small"
      value={currentLanguage()}
      onChange={change}
      style={{ width: 120 }}
      aria-label={t('nav.language')}
      suffixIcon={<GlobalOutlined />}
      options={LANGUAGES.map((l) => ({ value: l, label: t(`enums.locale.${l}`) }))}
    />
  );
}
