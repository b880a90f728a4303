import { ScheduleOutlined } from '@ant-design/icons';
import { Button, Checkbox, Divider, Form, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { LoadError } from '../../components/query-state.tsx';
import {
  SCHEDULE_KEY,
  useReportSchedule,
  type Schedule,
  type ScheduleUpdate,
} from './reports-api.ts';

const KINDS = ['company', 'region', 'branch', 'team'] as const;
// The reports are emitted by a job that runs every quarter hour: other minutes would only wait.
const TIMES = Array.from({ length: 96 }, (_, i) => i * 15);
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

type Values = Omit<Schedule, 'version'>;

/** When the reports go to the groups and for which units (admins). */
export function ScheduleButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<ScheduleOutlined />} onClick={() => setOpen(true)} data-testid="schedule-open">
        {t('reports.schedule.open')}
      </Button>
      {open && <ScheduleDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function ScheduleDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const q = useReportSchedule(true);
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data);
  }, [q.data, form]);
  const save = useSave({
    mutationFn: (v: ScheduleUpdate) => api.put<Schedule>('/reports/schedule', v),
    invalidate: [SCHEDULE_KEY],
    onSuccess: onClose,
  });
  const timeOptions = TIMES.map((m) => ({ value: m, label: hhmm(m) }));
  const kindOptions = KINDS.map((k) => ({ value: k, label: t(`enums.orgKind.${k}`) }));
  return (
    <Modal
      open
      title={t('reports.schedule.title')}
      onCancel={onClose}
      okText={t('common.save')}
      okButtonProps={{ loading: save.isPending, disabled: !q.data }}
      onOk={() =>
        void form
          .validateFields()
          .then((v) => q.data && save.mutate({ ...v, version: q.data.version }))
      }
      destroyOnHidden
    >
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Form form={form} layout="vertical" data-testid="schedule-form">
          <Divider titlePlacement="start">{t('reports.battleTitle')}</Divider>
          <Form.Item
            name={['battle', 'enabled']}
            label={t('reports.schedule.enabled')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          <Form.Item name={['battle', 'atMinute']} label={t('reports.schedule.time')}>
            <Select options={timeOptions} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name={['battle', 'kinds']} label={t('reports.schedule.kinds')}>
            <Checkbox.Group options={kindOptions} />
          </Form.Item>
          <Divider titlePlacement="start">{t('reports.weeklyTitle')}</Divider>
          <Form.Item
            name={['weekly', 'enabled']}
            label={t('reports.schedule.enabled')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          <Form.Item name={['weekly', 'weekday']} label={t('reports.schedule.weekday')}>
            <Select
              style={{ width: 120 }}
              options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({
                value: d,
                label: t(`reports.weekday.${d}`),
              }))}
            />
          </Form.Item>
          <Form.Item name={['weekly', 'atMinute']} label={t('reports.schedule.time')}>
            <Select options={timeOptions} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name={['weekly', 'kinds']} label={t('reports.schedule.kinds')}>
            <Checkbox.Group options={kindOptions} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
