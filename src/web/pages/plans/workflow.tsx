import {
  CheckOutlined,
  CopyOutlined,
  PlayCircleOutlined,
  RollbackOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { Button, Input, Popconfirm, Space, Tag } from 'antd';
import { useState } from 'react';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { looksLikeDirector, PLAN_KEYS, type PlanStatus, type PlanVersion } from './plan-api.ts';

const STATUS_COLORS: Record<PlanStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  active: 'green',
  superseded: 'default',
};

export function StatusTag({ status }: { status: PlanStatus }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={STATUS_COLORS[status]}
      data-testid={`status-${status}`}
      style={status === 'superseded' ? { textDecoration: 'line-through' } : undefined}
    >
      {t(`plans.status.${status}`)}
    </Tag>
  );
}

type Action = 'submit' | 'approve' | 'reject' | 'activate' | 'copy';

/** The actions a status allows, in the order they are offered. */
function actionsFor(status: PlanStatus, director: boolean): Action[] {
  const out: Action[] = [];
  // A version is the company's plan: only the director submits it (the server decides).
  if (status === 'draft' && director) out.push('submit');
  if (status === 'submitted' && director) out.push('approve', 'reject');
  if (status === 'approved' && director) out.push('activate');
  if (director && status !== 'draft') out.push('copy');
  return out;
}

const ICONS: Record<Action, React.ReactNode> = {
  submit: <SendOutlined />,
  approve: <CheckOutlined />,
  reject: <RollbackOutlined />,
  activate: <PlayCircleOutlined />,
  copy: <CopyOutlined />,
};

/**
 * Workflow buttons by role and status, each behind a confirmation: draft → submitted → approved →
 * active (activating supersedes the active version); reject sends a submission back with a note;
 * any settled version can be copied as a new draft (elapsed months frozen).
 */
export function WorkflowButtons({
  version,
  canApprove,
  size,
}: {
  version: PlanVersion;
  canApprove?: boolean;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const director = canApprove ?? looksLikeDirector(me);
  // Separation of duties: whoever submitted a version neither approves nor activates it; an
  // administrator may, only with a written reason (the server enforces and audits it).
  const ownSubmission = version.submittedBy === me.id;
  const needsReason = (a: Action) => ownSubmission && (a === 'approve' || a === 'activate');
  const actions = actionsFor(version.status, director).filter(
    (a) => !needsReason(a) || me.role === 'admin',
  );
  const canRequest = version.status === 'active' && (me.role === 'manager' || me.role === 'rep');

  const run = useSave({
    mutationFn: (action: Action) =>
      action === 'copy'
        ? api.post<PlanVersion>(`/plan-versions/${version.id}/copy`)
        : api.post<PlanVersion>(`/plan-versions/${version.id}/${action}`, {
            version: version.version,
            ...(note.trim() ? { note: note.trim() } : {}),
            ...(needsReason(action) ? { overrideReason: reason.trim() } : {}),
          }),
    invalidate: PLAN_KEYS,
    success: t('plans.workflow.done'),
    onSuccess: (v, action) => {
      setNote('');
      setReason('');
      if (action === 'copy') void navigate(`/plans/versions/${v.id}`);
    },
  });

  if (actions.length === 0 && !canRequest) return null;
  return (
    <Space size={4} wrap>
      {canRequest && (
        <Button
          size={size ?? 'small'}
          data-testid={`request-change-${version.id}`}
          onClick={() => void navigate(`/adjustments/new?version=${version.id}`)}
        >
          {t('adjustments.fromGrid')}
        </Button>
      )}
      {actions.map((a) => (
        <Popconfirm
          key={a}
          title={t(`plans.workflow.confirm.${a}`, { number: version.number })}
          description={
            needsReason(a) ? (
              <Input.TextArea
                rows={2}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder={t('plans.workflow.overrideReason')}
                style={{ width: 280 }}
                data-testid={`workflow-override-${a}`}
              />
            ) : a === 'reject' || a === 'submit' ? (
              <Input.TextArea
                rows={2}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder={t('plans.workflow.notePlaceholder')}
                style={{ width: 280 }}
                data-testid={`workflow-note-${a}`}
              />
            ) : (
              t(`plans.workflow.hint.${a}`)
            )
          }
          okText={t(`plans.workflow.action.${a}`)}
          cancelText={t('common.cancel')}
          okButtonProps={
            {
              danger: a === 'reject',
              disabled: needsReason(a) && reason.trim() === '',
              'data-testid': `workflow-ok-${a}`,
            } as ButtonProps
          }
          onConfirm={() => run.mutateAsync(a).catch(() => undefined)}
        >
          <Button
            size={size ?? 'small'}
            type={a === 'copy' || a === 'reject' ? 'default' : 'primary'}
            danger={a === 'reject'}
            icon={ICONS[a]}
            loading={run.isPending && run.variables === a}
            data-testid={`workflow-${a}-${version.id}`}
          >
            {t(`plans.workflow.action.${a}`)}
          </Button>
        </Popconfirm>
      ))}
    </Space>
  );
}
