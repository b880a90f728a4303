import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setLocaleSource } from '../api/client.ts';
import { LANGUAGES, resourcesFor, type Language } from './resources.ts';

const STORAGE_KEY = 'tf.locale';

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** Before sign-in the choice lives in localStorage; afterwards the user's saved preference wins. */
export function storedLanguage(): Language | null {
  const v = localStorage.getItem(STORAGE_KEY);
  return isLanguage(v) ? v : null;
}

export function rememberLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: resourcesFor('zh-CN') },
    en: { translation: resourcesFor('en') },
  },
  lng: storedLanguage() ?? 'zh-CN',
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = currentLanguage();
setLocaleSource(currentLanguage);

export default i18n;
