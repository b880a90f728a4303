import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  InboxOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Popconfirm,
  Progress,
  Radio,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage, uploadFile, withQuery } from '../../api/client.ts';
import { useCurrentUser } from '../../session/use-me.ts';
import { TRACKING_KEY } from '../tracking/tracking-api.ts';
import { csvHeaders } from './csv-headers.ts';
import {
  batchesKey,
  isJobAccepted,
  mappingsKey,
  useMappings,
  type ColumnMapping,
  type FactImportResult,
  type FactKind,
  type ImportJob,
  type ImportMode,
  type JobAccepted,
} from './facts-api.ts';
import { ImportFailure, ImportSuccess } from './import-result.tsx';
import { MappingEditor } from './mapping-editor.tsx';

type Phase =
  | { name: 'idle' }
  | { name: 'uploading'; percent: number }
  | { name: 'job'; done: number; total: number }
  | { name: 'done'; result: FactImportResult }
  | { name: 'failed'; error: unknown };

const POLL_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Upload one file of facts. Small files are answered at once; long ones come back as a job that
 * is polled until it finishes, with its row count as progress. In all-or-nothing mode a file with
 * any bad row changes nothing; in apply-valid mode the good rows go in and the bad ones come back
 * as a CSV to fix and re-import.
 */
/** How amounts finer than a fen are read (the import's `rounding` option). */
type Rounding = 'none' | 'half-up' | 'half-even';
/** The order of day-and-month-first dates (the import's `dateFormat` option). */
type DateFormat = 'auto' | 'YMD' | 'MDY' | 'DMY';
const DATE_FORMATS: readonly DateFormat[] = ['auto', 'YMD', 'MDY', 'DMY'];

export function ImportPanel({ kind }: { kind: FactKind }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mode, setMode] = useState<ImportMode>('all-or-nothing');
  const [createMissing, setCreateMissing] = useState<string[]>([]);
  const [mappingId, setMappingId] = useState<number | null>(null);
  const [rounding, setRounding] = useState<Rounding>('none');
  const [dateFormat, setDateFormat] = useState<DateFormat>('auto');
  const [editor, setEditor] = useState<{ mapping: ColumnMapping | null } | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const mappings = useMappings(kind);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  // A new kind starts afresh: its mappings, template and result are different.
  useEffect(() => {
    setFile(null);
    setHeaders([]);
    setMappingId(null);
    setPhase({ name: 'idle' });
  }, [kind]);

  const busy = phase.name === 'uploading' || phase.name === 'job';
  const selectedMapping = mappings.data?.find((m) => m.id === mappingId) ?? null;
  // Anyone may use a saved mapping; only whoever saved it, or an admin, changes it.
  const me = useCurrentUser();
  const mappingIsMine =
    selectedMapping !== null && (me.role === 'admin' || selectedMapping.createdBy === me.id);

  const finished = async (result: FactImportResult) => {
    setPhase({ name: 'done', result });
    await Promise.all([
      qc.invalidateQueries({ queryKey: [TRACKING_KEY] }),
      qc.invalidateQueries({ queryKey: [batchesKey[0]] }),
    ]);
  };

  const poll = async (jobId: string) => {
    for (;;) {
      await sleep(POLL_MS);
      if (!alive.current) return;
      const job = await api.get<ImportJob>(`/facts/jobs/${jobId}`);
      if (job.status === 'running') {
        setPhase({ name: 'job', done: job.done, total: job.total });
        continue;
      }
      if (job.status === 'done' && job.result) return finished(job.result);
      const e = job.error ?? { code: 'INTERNAL', message: '', problems: [] };
      // Shown exactly like a synchronous refusal: message plus rows and columns.
      throw new ApiError(e.problems.length ? 422 : 500, e);
    }
  };

  const start = async () => {
    if (!file) return;
    setPhase({ name: 'uploading', percent: 0 });
    const query = new URLSearchParams({ mode });
    if (createMissing.length) query.set('createMissing', createMissing.join(','));
    if (mappingId) query.set('mapping', String(mappingId));
    if (rounding !== 'none') query.set('rounding', rounding);
    if (dateFormat !== 'auto') query.set('dateFormat', dateFormat);
    try {
      const answer = await uploadFile<FactImportResult | JobAccepted>(
        `/facts/${kind}/import?${query.toString()}`,
        file,
        (percent) => setPhase({ name: 'uploading', percent }),
      );
      if (isJobAccepted(answer)) {
        setPhase({ name: 'job', done: 0, total: answer.total });
        await poll(answer.jobId);
      } else await finished(answer);
    } catch (error) {
      setPhase({ name: 'failed', error });
    }
  };

  const removeMapping = async (m: ColumnMapping) => {
    try {
      await api.del(`/facts/mappings/${m.id}`);
      setMappingId(null);
      void message.success(t('common.deleted'));
      await qc.invalidateQueries({ queryKey: [mappingsKey[0]] });
    } catch (e) {
      void message.error(errorMessage(e, t('common.networkError')));
    }
  };

  const templateHref = withQuery(`/facts/${kind}/template`, { lang: i18n.language });
  const reset = () => {
    setFile(null);
    setHeaders([]);
    setPhase({ name: 'idle' });
  };

  return (
    <Card
      size="small"
      title={t('actuals.uploadTitle', { what: t(`actuals.kinds.${kind}`) })}
      extra={
        <a href={templateHref} download data-testid="actuals-template">
          <DownloadOutlined /> {t('imports.downloadTemplate')}
        </a>
      }
      data-testid="actuals-import"
    >
      {phase.name === 'done' || phase.name === 'failed' ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {phase.name === 'done' ? (
            <ImportSuccess result={phase.result} />
          ) : (
            <ImportFailure error={phase.error} />
          )}
          <Button onClick={reset} data-testid="actuals-another">
            {t('imports.another')}
          </Button>
        </Space>
      ) : (
        <Form layout="vertical" disabled={busy}>
          <Form.Item>
            <Upload.Dragger
              accept=".csv,.xlsx"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setHeaders([]);
                if (f.name.toLowerCase().endsWith('.csv'))
                  void csvHeaders(f).then(setHeaders, () => setHeaders([]));
                return false; // uploaded by us, with progress and options
              }}
              onRemove={() => {
                setFile(null);
                setHeaders([]);
              }}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
              data-testid="actuals-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.dropHint')}</p>
              <p className="ant-upload-hint">{t('actuals.fileHint')}</p>
            </Upload.Dragger>
          </Form.Item>
          <Form.Item label={t('actuals.mode.label')} style={{ marginBottom: 12 }}>
            <Radio.Group
              value={mode}
              onChange={(e) => setMode(e.target.value as ImportMode)}
              data-testid="actuals-mode"
            >
              <Space orientation="vertical">
                <Radio value="all-or-nothing">
                  {t('actuals.mode.allOrNothing')}{' '}
                  <Typography.Text type="secondary">
                    — {t('actuals.mode.allOrNothingHint')}
                  </Typography.Text>
                </Radio>
                <Radio value="apply-valid">
                  {t('actuals.mode.applyValid')}{' '}
                  <Typography.Text type="secondary">
                    — {t('actuals.mode.applyValidHint')}
                  </Typography.Text>
                </Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item label={t('actuals.createMissing.label')} style={{ marginBottom: 12 }}>
            <Checkbox.Group
              value={createMissing}
              onChange={(v) => setCreateMissing(v as string[])}
              options={[
                { value: 'customers', label: t('actuals.createMissing.customers') },
                { value: 'products', label: t('actuals.createMissing.products') },
              ]}
              data-testid="actuals-create-missing"
            />
          </Form.Item>
          <Form.Item
            label={t('actuals.dateFormat.label')}
            extra={t('actuals.dateFormat.hint')}
            style={{ marginBottom: 12 }}
          >
            <Select<DateFormat>
              style={{ width: 320 }}
              value={dateFormat}
              onChange={setDateFormat}
              options={DATE_FORMATS.map((f) => ({ value: f, label: t(`actuals.dateFormat.${f}`) }))}
              data-testid="actuals-date-format"
            />
          </Form.Item>
          <Form.Item
            label={t('actuals.rounding.label')}
            extra={t('actuals.rounding.hint')}
            style={{ marginBottom: 12 }}
          >
            <Select<Rounding>
              style={{ width: 320 }}
              value={rounding}
              onChange={setRounding}
              options={[
                { value: 'none', label: t('actuals.rounding.none') },
                { value: 'half-up', label: t('actuals.rounding.halfUp') },
                { value: 'half-even', label: t('actuals.rounding.halfEven') },
              ]}
              data-testid="actuals-rounding"
            />
          </Form.Item>
          <Form.Item label={t('actuals.mapping.label')} extra={t('actuals.mapping.pickHint')}>
            <Space wrap>
              <Select<number>
                style={{ width: 240 }}
                allowClear
                value={mappingId ?? undefined}
                onChange={(v) => {
                  setMappingId(v ?? null);
                  // The mapping's saved options become the import's (still changeable here).
                  const saved = mappings.data?.find((m) => m.id === v)?.options;
                  if (saved?.rounding) setRounding(saved.rounding);
                  if (saved?.dateFormat) setDateFormat(saved.dateFormat);
                }}
                loading={mappings.isPending}
                placeholder={t('actuals.mapping.none')}
                options={(mappings.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
                data-testid="actuals-mapping"
              />
              <Button
                icon={<PlusOutlined />}
                onClick={() => setEditor({ mapping: null })}
                data-testid="mapping-new"
              >
                {t('actuals.mapping.new')}
              </Button>
              {selectedMapping && mappingIsMine && (
                <>
                  <Button
                    icon={<EditOutlined />}
                    onClick={() => setEditor({ mapping: selectedMapping })}
                  >
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('common.confirmDelete', { name: selectedMapping.name })}
                    onConfirm={() => void removeMapping(selectedMapping)}
                  >
                    <Button icon={<DeleteOutlined />} danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </>
              )}
            </Space>
          </Form.Item>
          {phase.name === 'uploading' && (
            <div data-testid="actuals-progress">
              <Progress percent={phase.percent} status="active" />
              <Typography.Text type="secondary">
                {phase.percent < 100 ? t('imports.uploading') : t('imports.processing')}
              </Typography.Text>
            </div>
          )}
          {phase.name === 'job' && (
            <div data-testid="actuals-job">
              <Progress
                percent={phase.total ? Math.floor((phase.done / phase.total) * 100) : 0}
                status="active"
              />
              <Typography.Text type="secondary">
                {t('actuals.jobProgress', {
                  done: phase.done.toLocaleString('en'),
                  total: phase.total.toLocaleString('en'),
                })}
              </Typography.Text>
            </div>
          )}
          <Button
            type="primary"
            icon={<UploadOutlined />}
            disabled={!file || busy}
            loading={busy}
            onClick={() => void start()}
            data-testid="actuals-submit"
            style={{ marginTop: 12 }}
          >
            {t('imports.upload')}
          </Button>
        </Form>
      )}
      <MappingEditor
        kind={kind}
        open={editor !== null}
        mapping={editor?.mapping ?? null}
        headers={headers}
        onClose={() => setEditor(null)}
        onSaved={(m) => setMappingId(m.id)}
      />
    </Card>
  );
}
