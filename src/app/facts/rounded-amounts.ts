import { formatFenDifference } from '../../domain/money.ts';
import type { MoneyRoundingTally } from '../import/parse-cell.ts';

/**
 * What an import's rounding choice did: how many amounts it rounded to the fen, and the sum of
 * rounded − written as exact decimal fen ('0.25', '-1.5'; '0' when none was rounded).
 */
export interface RoundedAmounts {
  count: number;
  differenceFen: string;
}

export function roundedAmounts(tally: MoneyRoundingTally): RoundedAmounts {
  return { count: tally.count, differenceFen: formatFenDifference(tally.difference) };
}
