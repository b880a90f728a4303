import { Drawer, Grid, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/query-state.tsx';
import { useLocalName } from '../../format/names.ts';
import { useOrgUnits } from '../org/org-tree.ts';
import { useJoin, useThresholdText } from './rule-text.ts';
import { useAlertRule, type AlertRule, type AlertRuleVersion } from './rules-api.ts';

type Settings = AlertRuleVersion['rule'];
const FIELDS: (keyof Settings)[] = [
  'nameZh',
  'nameEn',
  'metric',
  'periodKind',
  'threshold',
  'consecutivePeriods',
  'scopeUnitId',
  'subjects',
  'severity',
  'recipients',
  'channels',
  'escalateAfterDays',
  'enabled',
];

/** A rule's versions, newest first, each with what changed from the one before. */
export function RuleVersions({ rule, onClose }: { rule: AlertRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const q = useAlertRule(rule?.id ?? null);
  const describe = useDescribe();
  const localName = useLocalName();
  return (
    <Drawer
      open={rule !== null}
      onClose={onClose}
      size={phone ? '100%' : 520}
      title={rule ? `${t('alerts.rules.history')} · ${localName(rule.nameZh, rule.nameEn)}` : ''}
      destroyOnHidden
    >
      <div data-testid="alert-rule-versions">
        <QueryState query={q}>
          {(detail) => {
            const versions = [...detail.versions].sort((a, b) => b.version - a.version);
            return (
              <Timeline
                items={versions.map((v, i) => {
                  const older = versions[i + 1];
                  const changed = older
                    ? FIELDS.filter(
                        (f) => JSON.stringify(v.rule[f]) !== JSON.stringify(older.rule[f]),
                      )
                    : FIELDS;
                  return {
                    key: v.version,
                    color: v.version === detail.version ? 'blue' : 'gray',
                    content: (
                      <div data-testid={`alert-rule-version-${v.version}`}>
                        <Typography.Text strong>
                          {t('alerts.rules.versionN', { version: v.version })}
                        </Typography.Text>
                        {v.version === detail.version && (
                          <Tag color="blue" style={{ marginInlineStart: 8 }}>
                            {t('alerts.rules.current')}
                          </Tag>
                        )}
                        <br />
                        <Typography.Text type="secondary">
                          {t('alerts.rules.changedBy', {
                            at: dayjs(v.changedAt).format('YYYY-MM-DD HH:mm'),
                            who: v.changedBy ?? t('alerts.system'),
                          })}
                        </Typography.Text>
                        <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                          {changed.map((f) => (
                            <li key={f}>{describe(f, v.rule, older?.rule)}</li>
                          ))}
                        </ul>
                      </div>
                    ),
                  };
                })}
              />
            );
          }}
        </QueryState>
      </div>
    </Drawer>
  );
}

/** 'Threshold: 70% → 65%' in the reader's words. */
function useDescribe() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const units = useOrgUnits();
  const thresholdText = useThresholdText();
  const join = useJoin();
  const value = (f: keyof Settings, s: Settings): string => {
    switch (f) {
      case 'metric':
        return t(`alerts.rules.metricName.${s.metric}`, { defaultValue: s.metric });
      case 'periodKind':
        return t(`alerts.rules.period.${s.periodKind}`);
      case 'threshold':
        return thresholdText(s.kind, s.threshold, s.thresholdUnit);
      case 'scopeUnitId': {
        if (s.scopeUnitId === null) return t('alerts.rules.scopeCompany');
        const u = units.data?.find((x) => x.id === s.scopeUnitId);
        return u ? localName(u.nameZh, u.nameEn) : `#${s.scopeUnitId}`;
      }
      case 'subjects':
        return t(`alerts.rules.subject.${s.subjects}`);
      case 'severity':
        return t(`alerts.severity.${s.severity}`);
      case 'recipients':
        return join(s.recipients.map((r) => t(`alerts.rules.recipient.${r}`)));
      case 'channels':
        return join(s.channels.map((c) => t(`alerts.rules.channel.${c}`))) || '—';
      case 'escalateAfterDays':
        return s.escalateAfterDays === null
          ? t('alerts.rules.escalateNever')
          : t('alerts.rules.thresholdDays', { value: s.escalateAfterDays });
      case 'enabled':
        return s.enabled ? t('alerts.rules.enabled') : t('alerts.rules.disabled');
      default:
        return String(s[f]);
    }
  };
  const label = (f: keyof Settings) => t(`alerts.rules.${f === 'scopeUnitId' ? 'scope' : f}`);
  return (f: keyof Settings, now: Settings, before: Settings | undefined) =>
    before
      ? t('alerts.rules.changed', {
          field: label(f),
          before: value(f, before),
          after: value(f, now),
        })
      : t('alerts.rules.set', { field: label(f), value: value(f, now) });
}
