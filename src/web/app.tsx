import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Outlet, RouterProvider, useNavigate } from 'react-router';
import { isApiError, setUnauthenticatedHandler } from './api/client.ts';
import { Loading } from './components/query-state.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { RepHome } from './pages/me/rep-home.tsx';
import { AppShell } from './shell/app-shell.tsx';
import { RequireAuth, RequireRole } from './session/guards.tsx';

// Feature pages load on first visit, so the login page does not pay for the whole app.
const DashboardPage = lazy(() => import('./pages/dashboard-page.tsx'));
const TrackingPage = lazy(() => import('./pages/tracking/tracking-page.tsx'));
const MyTargetsPage = lazy(() => import('./pages/me/my-targets-page.tsx'));
const ActualsPage = lazy(() => import('./pages/actuals/actuals-page.tsx'));
const OrgPage = lazy(() => import('./pages/org/org-page.tsx'));
const MembersPage = lazy(() => import('./pages/members/members-page.tsx'));
const ProductsPage = lazy(() => import('./pages/products/products-page.tsx'));
const CustomersPage = lazy(() => import('./pages/customers/customers-page.tsx'));
const PlansPage = lazy(() => import('./pages/plans/plans-page.tsx'));
const PlanVersionPage = lazy(() => import('./pages/plans/plan-version-page.tsx'));
const PlanComparePage = lazy(() => import('./pages/plans/compare-page.tsx'));
const DimensionsPage = lazy(() => import('./pages/dimensions/dimensions-page.tsx'));
const UsersPage = lazy(() => import('./pages/users/users-page.tsx'));
const CalendarPage = lazy(() => import('./pages/calendar/calendar-page.tsx'));
const SettingsPage = lazy(() => import('./pages/settings/settings-page.tsx'));
const AuditPage = lazy(() => import('./pages/audit/audit-page.tsx'));
const JobsPage = lazy(() => import('./pages/jobs/jobs-page.tsx'));
const NotFoundPage = lazy(() => import('./pages/not-found-page.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Retrying a 4xx only repeats the same answer; retry network hiccups and 5xx once.
      retry: (count, e) => count < 1 && (!isApiError(e) || e.status === 0 || e.status >= 500),
    },
  },
});

/** Inside the router: a session that expires mid-use returns the user to /login, then back. */
function Root() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      if (window.location.pathname === '/login') return;
      const from = window.location.pathname + window.location.search;
      qc.clear();
      void navigate('/login', { replace: true, state: { from } });
    });
  }, [navigate, qc]);
  return <Outlet />;
}

const lazyPage = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      { path: '/login', element: <LoginPage /> },
      {
        path: '/',
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <RepHome>{lazyPage(<DashboardPage />)}</RepHome> },
          { path: 'plans', element: lazyPage(<PlansPage />) },
          { path: 'plans/versions/:id', element: lazyPage(<PlanVersionPage />) },
          { path: 'plans/compare', element: lazyPage(<PlanComparePage />) },
          { path: 'tracking', element: lazyPage(<TrackingPage />) },
          { path: 'me', element: lazyPage(<MyTargetsPage />) },
          {
            path: 'actuals',
            element: (
              <RequireRole roles={['admin', 'manager']}>{lazyPage(<ActualsPage />)}</RequireRole>
            ),
          },
          { path: 'jobs', element: lazyPage(<JobsPage />) },
          { path: 'org', element: lazyPage(<OrgPage />) },
          { path: 'members', element: lazyPage(<MembersPage />) },
          { path: 'products', element: lazyPage(<ProductsPage />) },
          { path: 'customers', element: lazyPage(<CustomersPage />) },
          { path: 'dimensions', element: lazyPage(<DimensionsPage />) },
          {
            path: 'users',
            element: <RequireRole roles={['admin']}>{lazyPage(<UsersPage />)}</RequireRole>,
          },
          {
            path: 'calendar',
            element: <RequireRole roles={['admin']}>{lazyPage(<CalendarPage />)}</RequireRole>,
          },
          {
            path: 'settings',
            element: <RequireRole roles={['admin']}>{lazyPage(<SettingsPage />)}</RequireRole>,
          },
          {
            path: 'audit',
            element: (
              <RequireRole roles={['admin', 'finance']}>{lazyPage(<AuditPage />)}</RequireRole>
            ),
          },
          { path: '*', element: lazyPage(<NotFoundPage />) },
        ],
      },
    ],
  },
]);

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  dayjs.locale(en ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1f5fd6', borderRadius: 6 } }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
