import {
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DiffOutlined,
  DownOutlined,
  FlagOutlined,
  FundProjectionScreenOutlined,
  KeyOutlined,
  LineChartOutlined,
  LogoutOutlined,
  MenuOutlined,
  SettingOutlined,
  ShopOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Avatar,
  Button,
  Dropdown,
  Grid,
  Layout,
  Menu,
  Space,
  Tag,
  Typography,
  theme,
  type MenuProps,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import type { Settings } from '../api/types.ts';
import { AmountUnitSwitch } from '../format/money.tsx';
import { useLocalName } from '../format/names.ts';
import { useOrgUnits } from '../pages/org/org-tree.ts';
import { useCurrentUser } from '../session/use-me.ts';
import { AlertBadge } from './alert-badge.tsx';
import { ChangePasswordDialog } from './change-password-dialog.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { isUnder, visibleItems, withMyTargets, type NavItem } from './nav-items.ts';

const ICONS: Record<string, ReactNode> = {
  dashboard: <DashboardOutlined />,
  plans: <FundProjectionScreenOutlined />,
  myTargets: <FlagOutlined />,
  tracking: <LineChartOutlined />,
  adjustments: <DiffOutlined />,
  actuals: <CloudUploadOutlined />,
  org: <ApartmentOutlined />,
  members: <TeamOutlined />,
  products: <AppstoreOutlined />,
  customers: <ShopOutlined />,
  dimensions: <TagsOutlined />,
  users: <UserOutlined />,
  calendar: <CalendarOutlined />,
  settings: <SettingOutlined />,
  alertRules: <AlertOutlined />,
  audit: <AuditOutlined />,
};

/** The company settings every signed-in screen reads (also prefetched at startup, app.tsx). */
export const settingsQuery = {
  queryKey: ['settings'],
  queryFn: () => api.get<Settings>('/settings'),
  retry: false,
  staleTime: 300_000,
};

export function useSettings() {
  return useQuery(settingsQuery);
}

export function AppShell() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const localName = useLocalName();
  const settings = useSettings();
  const [passwordOpen, setPasswordOpen] = useState(false);
  const { token } = theme.useToken();
  // On a phone the menu stays an icon rail and the header keeps the amount unit and the avatar.
  const phone = !Grid.useBreakpoint().md;
  // On a phone the menu is a drawer over the page, opened from the header, so the content keeps
  // the whole width.
  const [phoneMenuOpen, setPhoneMenuOpen] = useState(false);

  const position = usePosition(me);
  const items = withMyTargets(visibleItems(me.role), me);
  const toMenu = (i: NavItem) => ({
    key: i.path,
    icon: ICONS[i.key],
    label: <span data-testid={`menu-${i.key}`}>{t(`nav.${i.label}`)}</span>,
  });
  const group = (name: NavItem['group'], label: string): NonNullable<MenuProps['items']> => {
    const children = items.filter((i) => i.group === name).map(toMenu);
    return children.length ? [{ type: 'group', key: name, label, children }] : [];
  };
  const menuItems: MenuProps['items'] = [
    ...items.filter((i) => i.group === 'main').map(toMenu),
    ...group('masterData', t('nav.groupMasterData')),
    ...group('admin', t('nav.groupAdmin')),
  ];
  const selected = items.filter((i) => isUnder(location.pathname, i.path)).map((i) => i.path);

  const logout = async () => {
    try {
      await api.post<void>('/auth/logout');
    } finally {
      qc.clear();
      void navigate('/login', { replace: true });
    }
  };

  const company = settings.data
    ? localName(settings.data.companyNameZh, settings.data.companyNameEn)
    : '';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={220}
        theme="light"
        breakpoint="lg"
        collapsible={!phone}
        collapsedWidth={phone ? 0 : 80}
        collapsed={phone ? !phoneMenuOpen : undefined}
        trigger={phone ? null : undefined}
        style={{
          borderRight: `1px solid ${token.colorBorderSecondary}`,
          ...(phone ? { position: 'fixed', zIndex: 20, height: '100vh', left: 0, top: 0 } : {}),
        }}
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: '0 20px',
            overflow: 'hidden',
          }}
        >
          <AimOutlined style={{ fontSize: 22, color: token.colorPrimary }} />
          <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap' }}>
            {t('common.appShort')}
          </Typography.Text>
        </div>
        <Menu
          mode="inline"
          data-testid="main-menu"
          selectedKeys={selected}
          items={menuItems}
          onClick={(e) => {
            setPhoneMenuOpen(false);
            void navigate(e.key);
          }}
          style={{ borderInlineEnd: 'none' }}
        />
      </Layout.Sider>
      {phone && phoneMenuOpen && (
        <div
          aria-hidden
          onClick={() => setPhoneMenuOpen(false)}
          style={{ position: 'fixed', inset: 0, zIndex: 19, background: 'rgba(0, 0, 0, 0.25)' }}
        />
      )}
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            padding: phone ? '0 12px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            height: 56,
          }}
        >
          {phone ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('nav.menu')}
              data-testid="phone-menu"
              onClick={() => setPhoneMenuOpen((open) => !open)}
            />
          ) : (
            <Typography.Text strong data-testid="company-name" style={{ fontSize: 15 }}>
              {company || t('common.appName')}
            </Typography.Text>
          )}
          <Space size={phone ? 'small' : 'middle'}>
            {/* The sign-in page has the language switch too; a phone has no room for both here. */}
            {!phone && <LanguageSwitch />}
            <AlertBadge />
            <AmountUnitSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('nav.changePassword') },
                  { type: 'divider' },
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: <span data-testid="logout">{t('nav.logout')}</span>,
                  },
                ],
                onClick: (e) => (e.key === 'password' ? setPasswordOpen(true) : void logout()),
              }}
            >
              <Button type="text" data-testid="user-menu">
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} />
                  {!phone && me.displayName}
                  {!phone && <Tag data-testid="user-position">{position}</Tag>}
                  <DownOutlined />
                </Space>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      <ChangePasswordDialog open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}

/**
 * What the header calls a manager: the position of the highest unit they manage (销售总监 for the
 * company, 大区经理 for a region, 分公司经理, 团队主管), not the permission role "manager".
 * Other roles show their role.
 */
function usePosition(me: { role: string; memberId: number | null }): string {
  const { t } = useTranslation();
  const units = useOrgUnits();
  if (me.role !== 'manager' || me.memberId === null) return t(`enums.role.${me.role}`);
  const managed = (units.data ?? [])
    .filter((u) => u.managerMemberId === me.memberId)
    .sort((a, b) => a.path.length - b.path.length)[0];
  return managed ? t(`enums.position.${managed.kind}`) : t('enums.role.manager');
}
