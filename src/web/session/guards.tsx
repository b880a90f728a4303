import { Button, Result } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { LoadError, Loading } from '../components/query-state.tsx';
import i18n, { isLanguage, storedLanguage } from '../i18n/index.ts';
import { useMe } from './use-me.ts';

/** Renders children only for a signed-in user; otherwise sends them to /login and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const locale = me.data?.locale;
  useEffect(() => {
    // A device with no explicit choice follows the profile's saved language.
    if (locale && isLanguage(locale) && !storedLanguage() && i18n.language !== locale)
      void i18n.changeLanguage(locale);
  }, [locale]);
  if (me.isPending) return <Loading />;
  if (me.error) {
    if (isApiError(me.error) && me.error.status === 401) {
      return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    }
    return (
      <div style={{ padding: 48 }}>
        <LoadError error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  return <>{children}</>;
}

export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  if (me.data && !roles.includes(me.data.role)) {
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('common.forbidden')}
        extra={
          <Button type="primary" onClick={() => void navigate('/')}>
            {t('common.backHome')}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}
