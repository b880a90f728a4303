/**
 * The facts import API as the actuals page uses it. Wire types come from the server's zod
 * schemas (type-only); the field list of each kind comes from `GET /facts/:kind/columns`, so the
 * mapping editor offers exactly the fields the importer accepts, under the headers its templates
 * print, without shipping server code to the browser.
 */
import { useQuery } from '@tanstack/react-query';
import { headerKey } from '../../../domain/text-keys.ts';
import type { z } from 'zod';
import type {
  factBatchSchema,
  factColumnSchema,
  factImportResultSchema,
  jobAcceptedSchema,
  jobSchema,
  mappingSchema,
} from '../../../api/facts/schemas.ts';
import { api } from '../../api/client.ts';
import type { Paged } from '../../api/types.ts';

export type FactImportResult = z.infer<typeof factImportResultSchema>;
export type ImportJob = z.infer<typeof jobSchema>;
export type JobAccepted = z.infer<typeof jobAcceptedSchema>;
export type FactBatch = z.infer<typeof factBatchSchema>;
export type ColumnMapping = z.infer<typeof mappingSchema>;
export type FactKind = 'orders' | 'collections' | 'leads' | 'opportunities' | 'activities';
export type ImportMode = 'all-or-nothing' | 'apply-valid';

export const FACT_KINDS: readonly FactKind[] = [
  'orders',
  'collections',
  'leads',
  'opportunities',
  'activities',
];

export type FactField = z.infer<typeof factColumnSchema>;

/** The columns a kind's file may carry: field name and its Chinese / English template header. */
export function useFactFields(kind: FactKind) {
  return useQuery({
    queryKey: ['fact-columns', kind],
    queryFn: () => api.get<FactField[]>(`/facts/${kind}/columns`),
    staleTime: Infinity,
  });
}

export const batchesKey = ['fact-batches'] as const;
export const mappingsKey = ['fact-mappings'] as const;

export function useBatches(kind: FactKind | undefined, page: number, pageSize = 10) {
  return useQuery({
    queryKey: [...batchesKey, kind ?? 'all', page, pageSize],
    queryFn: () => api.get<Paged<FactBatch>>('/facts/batches', { kind, page, pageSize }),
  });
}

export function useMappings(kind: FactKind) {
  return useQuery({
    queryKey: [...mappingsKey, kind],
    queryFn: () => api.get<ColumnMapping[]>('/facts/mappings', { kind }),
  });
}

export function isJobAccepted(x: FactImportResult | JobAccepted): x is JobAccepted {
  return 'jobId' in x;
}

/**
 * The field a header already means without a mapping — compared the importer's way (full-width
 * folded, case and spaces ignored, a bracketed unit dropped) — so the editor shows which columns
 * are understood and leaves the user only the others to choose.
 */
export function fieldOfHeader(fields: readonly FactField[], header: string): string | null {
  const key = headerKey(header).key;
  return fields.find((f) => f.aliases.some((a) => headerKey(a).key === key))?.field ?? null;
}
