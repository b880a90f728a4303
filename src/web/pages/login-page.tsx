import { AimOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, errorMessage } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { currentLanguage, storedLanguage } from '../i18n/index.ts';
import { LanguageSwitch } from '../shell/language-switch.tsx';
import { meKey } from '../session/use-me.ts';

interface Credentials {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { token } = theme.useToken();
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const login = useMutation({
    mutationFn: (c: Credentials) => api.post<Me>('/auth/login', c),
    onSuccess: async (me) => {
      let current = me;
      // The language picked on this screen is the one the user just read; keep it for the profile.
      const chosen = storedLanguage();
      if (chosen && chosen !== me.locale) {
        current = await api.put<Me>('/auth/me/preferences', { locale: chosen }).catch(() => me);
      }
      qc.setQueryData(meKey, current);
      void navigate(from.startsWith('/login') ? '/' : from, { replace: true });
    },
  });

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        background: `linear-gradient(135deg, ${token.colorPrimaryBg} 0%, #f5f7fb 60%)`,
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 380, boxShadow: token.boxShadowTertiary }} data-testid="login-card">
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <AimOutlined style={{ fontSize: 40, color: token.colorPrimary }} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            Targetflow
          </Typography.Title>
          <Typography.Text strong>销售目标管理</Typography.Text>
          <Typography.Text type="secondary">{t('auth.subtitle')}</Typography.Text>
        </Flex>
        <Form<Credentials>
          layout="vertical"
          requiredMark={false}
          onFinish={(c) => login.mutate(c)}
          data-testid="login-form"
          key={currentLanguage() /* re-render validation messages in the new language */}
        >
          <Form.Item
            name="username"
            label={t('auth.username')}
            rules={[{ required: true, message: t('auth.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          {login.error && (
            <Alert
              type="error"
              showIcon
              title={errorMessage(login.error, t('common.networkError'))}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={login.isPending}
            data-testid="login-submit"
          >
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        Targetflow · {t('auth.footer')}
      </Typography.Text>
    </Flex>
  );
}
