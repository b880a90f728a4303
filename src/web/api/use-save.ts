import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from './client.ts';

/**
 * A write with the house feedback: success toast, refetch of the affected lists, and on a version
 * conflict (someone else saved first) the server's translated message plus a reload, so the user
 * edits the current record instead of overwriting it.
 */
export function useSave<TVars, TResult>({
  mutationFn,
  invalidate,
  success,
  onSuccess,
  onConflict,
}: {
  mutationFn: (vars: TVars) => Promise<TResult>;
  invalidate: string[];
  success?: string;
  onSuccess?: (result: TResult, vars: TVars) => void;
  onConflict?: () => void;
}) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = () =>
    Promise.all(invalidate.map((key) => qc.invalidateQueries({ queryKey: [key] })));
  return useMutation({
    mutationFn,
    onSuccess: async (result, vars) => {
      void message.success(success ?? t('common.saved'));
      await refresh();
      onSuccess?.(result, vars);
    },
    onError: async (e) => {
      if (isApiError(e) && e.status === 409 && e.code === 'VERSION_CONFLICT') {
        void message.warning(`${e.message} · ${t('common.conflictReloaded')}`, 6);
        await refresh();
        onConflict?.();
        return;
      }
      void message.error(errorMessage(e, t('common.networkError')), 6);
    },
  });
}
