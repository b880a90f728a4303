/** Tracking measures (METHOD §4): progress, growth, structure, funnel, orders, ranking, forecast. */
export type { Fraction } from './ratio.ts';
export { ratioBp, compareFractions } from './ratio.ts';
export * from './progress.ts';
