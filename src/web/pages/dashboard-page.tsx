import { ClockCircleOutlined, RightOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLocalName } from '../format/names.ts';
import { useCurrentUser } from '../session/use-me.ts';
import { visibleItems } from '../shell/nav-items.ts';
import { useOrgUnits } from './org/org-tree.ts';

export default function DashboardPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const units = useOrgUnits();
  const localName = useLocalName();

  // A scope path '/1/4/' names unit 4; show its name rather than the path.
  const scopeUnits = me.scope.unitPaths.map((path) => {
    const id = Number(path.split('/').filter(Boolean).at(-1));
    const unit = units.data?.find((u) => u.id === id);
    return unit ? localName(unit.nameZh, unit.nameEn) : path;
  });
  const scope = me.scope.all
    ? t('dashboard.scopeAll')
    : scopeUnits.length
      ? t('dashboard.scopeUnits', { units: scopeUnits.join('、') })
      : t('dashboard.scopeOwn');

  const links = visibleItems(me.role).filter((i) => i.key !== 'dashboard');

  return (
    <div data-testid="dashboard">
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('dashboard.welcome', { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'role',
              label: t('dashboard.role'),
              children: <Tag color="blue">{t(`enums.role.${me.role}`)}</Tag>,
            },
            {
              key: 'scope',
              label: t('dashboard.scope'),
              children: <span data-testid="dashboard-scope">{scope}</span>,
            },
          ]}
        />
        <Typography.Text type="secondary">{t('dashboard.cycle')}</Typography.Text>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('dashboard.quickLinks')}>
            <Row gutter={[12, 12]}>
              {links.map((l) => (
                <Col xs={12} md={8} key={l.key}>
                  <Link to={l.path} data-testid={`quick-${l.key}`}>
                    <Card size="small" hoverable>
                      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                        {t(`nav.${l.label}`)}
                        <RightOutlined />
                      </Space>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('dashboard.comingSoon')}>
            <Space orientation="vertical">
              <Typography.Text type="secondary">
                <ClockCircleOutlined /> {t('dashboard.plans')}
              </Typography.Text>
              <Typography.Text type="secondary">
                <ClockCircleOutlined /> {t('dashboard.tracking')}
              </Typography.Text>
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
