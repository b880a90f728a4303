import { Alert, Descriptions, Modal, Typography, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotifyChannel, NotifyTestReply } from '../../api/types.ts';

/** The receiver's raw reply to a test message: status, body, errcode, or why nothing came back. */
export function TestReplyModal({
  state,
  onClose,
}: {
  state: { channel: NotifyChannel; reply: NotifyTestReply } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const r = state?.reply;
  return (
    <Modal
      open={state !== null}
      title={`${t('notify.testTitle')} · ${state?.channel.name ?? ''}`}
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okButtonProps={{ 'data-testid': 'test-reply-close' } as ButtonProps}
      okText={t('common.close')}
      destroyOnHidden
    >
      {r && (
        <div data-testid="test-reply">
          {r.waitMs > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={t('notify.testWait', { seconds: Math.ceil(r.waitMs / 1000) })}
            />
          ) : (
            <Alert
              type={r.ok ? 'success' : 'error'}
              showIcon
              title={r.ok ? t('notify.testOk') : t('notify.testFailed')}
              description={r.error ?? undefined}
              style={{ marginBottom: 12 }}
            />
          )}
          {r.waitMs === 0 && (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('notify.replyStatus')}>
                {r.status ?? t('notify.noReply')}
              </Descriptions.Item>
              <Descriptions.Item label={t('notify.replyBody')}>
                <Typography.Paragraph
                  code
                  copyable={!!r.body}
                  style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}
                >
                  {r.body || t('notify.none')}
                </Typography.Paragraph>
              </Descriptions.Item>
            </Descriptions>
          )}
        </div>
      )}
    </Modal>
  );
}
