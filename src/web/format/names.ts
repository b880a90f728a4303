import { useTranslation } from 'react-i18next';

/** Every entity carries a Chinese and an English name; show the one matching the UI language. */
export function useLocalName() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (zh: string | null | undefined, enName: string | null | undefined): string =>
    (en ? enName || zh : zh || enName) ?? '';
}
