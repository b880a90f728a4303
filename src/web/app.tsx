import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Outlet, RouterProvider, useNavigate } from 'react-router';
import { api, isApiError, setUnauthenticatedHandler } from './api/client.ts';
import type { Me, OrgUnit } from './api/types.ts';
import { Loading } from './components/query-state.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { orgUnitsKey } from './pages/org/org-tree.ts';
import { AppShell, settingsQuery } from './shell/app-shell.tsx';
import { RequireAuth, RequireRole } from './session/guards.tsx';
import { meKey } from './session/use-me.ts';

/**
 * A page loaded on first visit, so the sign-in page does not pay for the whole app. `preload`
 * starts the download early: the page that a URL opens on is fetched at startup, beside the
 * session check, instead of after it and after the shell has rendered.
 */
function page<T extends ComponentType>(load: () => Promise<{ default: T }>) {
  let loading: Promise<{ default: T }> | undefined;
  const preload = () => (loading ??= load());
  return { Page: lazy(preload), preload };
}

const dashboard = page(() => import('./pages/dashboard-page.tsx'));
const tracking = page(() => import('./pages/tracking/tracking-page.tsx'));
const myTargets = page(() => import('./pages/me/my-targets-page.tsx'));
const plans = page(() => import('./pages/plans/plans-page.tsx'));
const planVersion = page(() => import('./pages/plans/plan-version-page.tsx'));
const DashboardPage = dashboard.Page;
const TrackingPage = tracking.Page;
const MyTargetsPage = myTargets.Page;
const PlansPage = plans.Page;
const PlanVersionPage = planVersion.Page;
const ActualsPage = lazy(() => import('./pages/actuals/actuals-page.tsx'));
const OrgPage = lazy(() => import('./pages/org/org-page.tsx'));
const MembersPage = lazy(() => import('./pages/members/members-page.tsx'));
const ProductsPage = lazy(() => import('./pages/products/products-page.tsx'));
const CustomersPage = lazy(() => import('./pages/customers/customers-page.tsx'));
const PlanComparePage = lazy(() => import('./pages/plans/compare-page.tsx'));
const DimensionsPage = lazy(() => import('./pages/dimensions/dimensions-page.tsx'));
const UsersPage = lazy(() => import('./pages/users/users-page.tsx'));
const CalendarPage = lazy(() => import('./pages/calendar/calendar-page.tsx'));
const SettingsPage = lazy(() => import('./pages/settings/settings-page.tsx'));
const AlertRulesPage = lazy(() => import('./pages/alert-rules/alert-rules-page.tsx'));
const AuditPage = lazy(() => import('./pages/audit/audit-page.tsx'));
const JobsPage = lazy(() => import('./pages/jobs/jobs-page.tsx'));
const NotifyChannelsPage = lazy(() => import('./pages/notify/notify-channels-page.tsx'));
const AdjustmentsPage = lazy(() => import('./pages/adjustments/adjustments-page.tsx'));
const NewAdjustmentPage = lazy(() => import('./pages/adjustments/new-adjustment-page.tsx'));
const AdjustmentPage = lazy(() => import('./pages/adjustments/adjustment-page.tsx'));
const BattleReportPage = lazy(() => import('./pages/reports/battle-report-page.tsx'));
const WeeklySheetPage = lazy(() => import('./pages/reports/weekly-sheet-page.tsx'));
const NotFoundPage = lazy(() => import('./pages/not-found-page.tsx'));

/** The pages people open the app on (a bookmark, a reload, a shared link), by path. */
const OPENED_ON: [RegExp, () => unknown][] = [
  [/^\/me\/?$/, myTargets.preload],
  [/^\/tracking\/?$/, tracking.preload],
  [/^\/plans\/?$/, plans.preload],
  [/^\/plans\/versions\//, planVersion.preload],
  // '/' is the inbox (工作台), everyone's landing page.
  [/^\/$/, dashboard.preload],
];
OPENED_ON.find(([re]) => re.test(window.location.pathname))?.[1]();

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

/**
 * A signed-in first screen asks who the user is, then the shell asks for the settings and the org
 * units, and only then does the page ask for its data, each after a render. Started here, the
 * session check runs while React mounts, and the shell's reads right after it answers.
 */
if (window.location.pathname !== '/login') {
  // Until the router mounts (Root sets the real handler), a 401 is RequireAuth's to handle: it
  // sends the user to sign in and back, which a hard redirect would forget.
  setUnauthenticatedHandler(() => undefined);
  queryClient
    .fetchQuery({ queryKey: meKey, queryFn: () => api.get<Me>('/auth/me'), retry: false })
    .then(
      () =>
        Promise.all([
          queryClient.prefetchQuery(settingsQuery),
          queryClient.prefetchQuery({
            queryKey: orgUnitsKey,
            queryFn: () => api.get<OrgUnit[]>('/org-units'),
          }),
        ]),
      () => undefined,
    );
}

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
          { index: true, element: lazyPage(<DashboardPage />) },
          { path: 'plans', element: lazyPage(<PlansPage />) },
          { path: 'plans/versions/:id', element: lazyPage(<PlanVersionPage />) },
          { path: 'plans/compare', element: lazyPage(<PlanComparePage />) },
          { path: 'tracking', element: lazyPage(<TrackingPage />) },
          { path: 'reports/battle', element: lazyPage(<BattleReportPage />) },
          { path: 'reports/weekly', element: lazyPage(<WeeklySheetPage />) },
          { path: 'me', element: lazyPage(<MyTargetsPage />) },
          { path: 'adjustments', element: lazyPage(<AdjustmentsPage />) },
          {
            path: 'adjustments/new',
            element: (
              <RequireRole roles={['manager', 'rep']}>
                {lazyPage(<NewAdjustmentPage />)}
              </RequireRole>
            ),
          },
          { path: 'adjustments/:id', element: lazyPage(<AdjustmentPage />) },
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
            path: 'notify/channels',
            element: (
              <RequireRole roles={['admin']}>{lazyPage(<NotifyChannelsPage />)}</RequireRole>
            ),
          },
          {
            path: 'alert-rules',
            element: <RequireRole roles={['admin']}>{lazyPage(<AlertRulesPage />)}</RequireRole>,
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
