import { customersKind } from './customers.ts';
import { channelsKind, customerTypesKind, regionsKind, segmentsKind } from './dimensions.ts';
import { membersKind } from './members.ts';
import { orgUnitsKind } from './org-units.ts';
import { productLinesKind } from './product-lines.ts';
import { productsKind } from './products.ts';

/** Every kind of master data that moves through files, by its URL/CLI name. */
export const masterKinds = {
  'org-units': orgUnitsKind,
  members: membersKind,
  'product-lines': productLinesKind,
  products: productsKind,
  channels: channelsKind,
  regions: regionsKind,
  segments: segmentsKind,
  'customer-types': customerTypesKind,
  customers: customersKind,
};

export type MasterKindName = keyof typeof masterKinds;
export const masterKindNames = Object.keys(masterKinds) as MasterKindName[];
