import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { AmountUnit, Locale, Me, Role } from '../api/types.ts';

export const meKey = ['me'] as const;

/** The signed-in user; a 401 here means "not signed in", not an error worth retrying. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: () => api.get<Me>('/auth/me'),
    retry: false,
    staleTime: Infinity,
  });
}

/** For components rendered inside the signed-in shell, where `me` is known to be loaded. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside the signed-in shell');
  return data;
}

export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (prefs: { locale?: Locale; amountUnit?: AmountUnit }) =>
      api.put<Me>('/auth/me/preferences', prefs),
    onSuccess: (me) => qc.setQueryData(meKey, me),
  });
}

/** Who may change master data. The server enforces this; the UI only hides buttons that would fail. */
export function canEditMasterData(role: Role): boolean {
  return role === 'admin' || role === 'manager';
}
