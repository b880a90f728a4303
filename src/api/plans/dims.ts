import { NO_DIMS, type Dims } from '../../db/plans/keys.ts';
import type { Lifecycle } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';

/** A query's dimension slice, 'productLineId:3,regionId:2' (empty: not split by any dimension). */
export function parseDims(text: string | undefined): Dims {
  const dims: Dims = { ...NO_DIMS };
  if (!text) return dims;
  for (const part of text.split(',')) {
    const [k, v] = part.split(':');
    if (k === 'productLineId' || k === 'regionId' || k === 'segmentId' || k === 'channelId')
      dims[k] = Number(v);
    else if (k === 'lifecycle') dims.lifecycle = (v ?? '') as Lifecycle;
    else throw new AppError('VALIDATION', { field: 'dims', reason: part });
  }
  return dims;
}
