/** Tracking measures (METHOD §4): progress, growth, structure, funnel, orders, ranking, forecast. */
export type { Fraction } from './ratio.ts';
export { ratioBp, compareFractions } from './ratio.ts';
export * from './progress.ts';
export * from './growth.ts';
export * from './structure.ts';
export * from './funnel.ts';
export * from './order-metrics.ts';
export * from './ranking.ts';
export * from './forecast.ts';
export * from './projection-odds.ts';
