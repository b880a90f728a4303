import type { Lifecycle, OwnerType, TargetCellsTable } from '../schema.ts';

/**
 * A target cell is identified, inside a version and metric, by its owner, period and dimension
 * members. Dimensions use 0 ('' for lifecycle) for "not split by this dimension", as the schema does.
 */
export interface Dims {
  productLineId: number;
  regionId: number;
  segmentId: number;
  channelId: number;
  lifecycle: Lifecycle;
}

export interface CellKey extends Dims {
  ownerType: OwnerType;
  ownerId: number;
  period: string;
}

export const NO_DIMS: Dims = {
  productLineId: 0,
  regionId: 0,
  segmentId: 0,
  channelId: 0,
  lifecycle: '',
};

export function withDims(
  owner: { ownerType: OwnerType; ownerId: number; period: string },
  dims?: Partial<Dims>,
): CellKey {
  return { ...owner, ...NO_DIMS, ...dims };
}

/**
 * The canonical text of a key: fixed field order, every field present, so a parent key stored in
 * `target_splits.parent_key` is found again with a plain equality on both dialects.
 */
export function keyText(k: CellKey): string {
  return JSON.stringify({
    ownerType: k.ownerType,
    ownerId: k.ownerId,
    period: k.period,
    productLineId: k.productLineId,
    regionId: k.regionId,
    segmentId: k.segmentId,
    channelId: k.channelId,
    lifecycle: k.lifecycle,
  });
}

export function parseKeyText(text: string): CellKey {
  const o = JSON.parse(text) as Partial<CellKey>;
  return withDims(
    {
      ownerType: o.ownerType ?? 'unit',
      ownerId: Number(o.ownerId ?? 0),
      period: String(o.period ?? ''),
    },
    {
      productLineId: Number(o.productLineId ?? 0),
      regionId: Number(o.regionId ?? 0),
      segmentId: Number(o.segmentId ?? 0),
      channelId: Number(o.channelId ?? 0),
      lifecycle: (o.lifecycle ?? '') as Lifecycle,
    },
  );
}

type CellColumns = Pick<TargetCellsTable, 'owner_type' | 'owner_id' | 'period'> & {
  lifecycle: string;
  product_line_id: number;
  region_id: number;
  segment_id: number;
  channel_id: number;
};

export function keyOfRow(r: CellColumns): CellKey {
  return {
    ownerType: r.owner_type,
    ownerId: r.owner_id,
    period: r.period,
    productLineId: r.product_line_id,
    regionId: r.region_id,
    segmentId: r.segment_id,
    channelId: r.channel_id,
    lifecycle: r.lifecycle as Lifecycle,
  };
}

export function keyColumns(k: CellKey) {
  return {
    owner_type: k.ownerType,
    owner_id: k.ownerId,
    period: k.period,
    product_line_id: k.productLineId,
    region_id: k.regionId,
    segment_id: k.segmentId,
    channel_id: k.channelId,
    lifecycle: k.lifecycle,
  };
}

/** Reference of an owner inside split inputs ('unit:12', 'member:5'). */
export function ownerRef(k: { ownerType: OwnerType; ownerId: number }): string {
  return `${k.ownerType}:${k.ownerId}`;
}
