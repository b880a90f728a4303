import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Locale, Role, User } from '../../api/types.ts';
import { useSave } from '../../api/use-save.ts';
import { MemberSelect } from '../../components/member-select.tsx';
import { Page } from '../../components/page.tsx';
import { EmptyState, LoadError } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { LANGUAGES } from '../../i18n/resources.ts';

const ROLES: Role[] = ['admin', 'manager', 'rep', 'finance', 'viewer'];

export default function UsersPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.get<User[]>('/users') });
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  return (
    <Page
      title={t('users.title')}
      testId="users-page"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing({ user: null })}
          data-testid="user-add"
        >
          {t('common.add')}
        </Button>
      }
    >
      <Card size="small">
        {users.error ? (
          <LoadError error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <Table<User>
            rowKey="id"
            loading={users.isPending}
            dataSource={users.data ?? []}
            pagination={{
              pageSize: 20,
              hideOnSinglePage: true,
              showTotal: (total) => t('common.total', { total }),
            }}
            locale={{ emptyText: <EmptyState description={t('users.empty')} /> }}
            columns={[
              { title: t('users.username'), dataIndex: 'username' },
              { title: t('users.displayName'), dataIndex: 'displayName' },
              {
                title: t('users.role'),
                dataIndex: 'role',
                render: (r: Role) => <Tag color="blue">{t(`enums.role.${r}`)}</Tag>,
              },
              {
                title: t('users.member'),
                key: 'member',
                render: (_, u) => localName(u.memberNameZh, u.memberNameEn) || '—',
              },
              {
                title: t('users.locale'),
                dataIndex: 'locale',
                render: (l: Locale) => t(`enums.locale.${l}`),
              },
              {
                title: t('users.status'),
                key: 'status',
                render: (_, u) => (
                  <Space size={4}>
                    {u.active ? (
                      <Tag color="green">{t('users.enabled')}</Tag>
                    ) : (
                      <Tag>{t('users.disabled')}</Tag>
                    )}
                    {u.lockedUntil && dayjs(u.lockedUntil).isAfter(dayjs()) && (
                      <Tag color="red">
                        {t('users.locked', {
                          until: dayjs(u.lockedUntil).format('YYYY-MM-DD HH:mm'),
                        })}
                      </Tag>
                    )}
                  </Space>
                ),
              },
              {
                title: t('users.createdAt'),
                dataIndex: 'createdAt',
                render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 190,
                render: (_, u) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => setEditing({ user: u })}>
                      {t('common.edit')}
                    </Button>
                    <Button
                      type="link"
                      size="small"
                      icon={<KeyOutlined />}
                      onClick={() => setResetting(u)}
                    >
                      {t('users.resetPassword')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <UserForm state={editing} onClose={() => setEditing(null)} />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
    </Page>
  );
}

interface Values {
  username: string;
  displayName: string;
  password?: string;
  role: Role;
  memberId: number | null;
  locale: Locale;
  active: boolean;
}

function UserForm({
  state,
  onClose,
}: {
  state: { user: User | null } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [form] = Form.useForm<Values>();
  const user = state?.user ?? null;
  const role = Form.useWatch('role', form);
  useEffect(() => {
    if (!state) return;
    form.resetFields();
    form.setFieldsValue(
      state.user ?? { role: 'rep', locale: 'zh-CN', active: true, memberId: null },
    );
  }, [state, form]);
  const save = useSave({
    mutationFn: (v: Values) =>
      user
        ? api.put<User>(`/users/${user.id}`, {
            displayName: v.displayName,
            role: v.role,
            memberId: v.memberId ?? null,
            active: v.active,
            locale: v.locale,
            version: user.version,
          })
        : api.post<User>('/users', {
            username: v.username,
            displayName: v.displayName,
            password: v.password,
            role: v.role,
            memberId: v.memberId ?? null,
            locale: v.locale,
          }),
    invalidate: ['users'],
    success: user ? undefined : t('common.created'),
    onSuccess: onClose,
    onConflict: onClose,
  });
  const required = [{ required: true, message: t('common.required') }];
  const needsMember = role === 'manager' || role === 'rep';
  return (
    <Modal
      open={state !== null}
      title={user ? t('users.editTitle') : t('users.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="user-form">
        <Form.Item name="username" label={t('users.username')} rules={required}>
          <Input disabled={user !== null} maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        {!user && (
          <Form.Item
            name="password"
            label={t('users.password')}
            rules={required}
            extra={t('nav.passwordHint')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('users.role')} rules={required}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`enums.role.${r}`) }))} />
        </Form.Item>
        <Form.Item name="memberId" label={t('users.member')} rules={needsMember ? required : []}>
          <MemberSelect
            initialLabel={user ? localName(user.memberNameZh, user.memberNameEn) : null}
          />
        </Form.Item>
        {needsMember && (
          <Alert type="info" showIcon title={t('users.memberHint')} style={{ marginBottom: 16 }} />
        )}
        <Form.Item name="locale" label={t('users.locale')} rules={required}>
          <Select options={LANGUAGES.map((l) => ({ value: l, label: t(`enums.locale.${l}`) }))} />
        </Form.Item>
        {user && (
          <Form.Item name="active" label={t('users.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ newPassword: string }>();
  const save = useSave({
    mutationFn: (v: { newPassword: string }) =>
      api.post<void>(`/users/${user!.id}/reset-password`, v),
    invalidate: ['users'],
    success: t('users.resetDone'),
    onSuccess: () => {
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={user !== null}
      title={user ? t('users.resetTitle', { name: user.displayName }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="newPassword"
          label={t('nav.newPassword')}
          rules={[{ required: true, message: t('common.required') }]}
          extra={t('nav.passwordHint')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
