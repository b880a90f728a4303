import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.ts';

/**
 * Product lines move `reference_generation` too (0007 left them out: the fact import resolves
 * products, not lines). The dashboards' cached answers are keyed by the generations, and a line's
 * name and its place in the tree (a line counts with its sub-lines) are part of those answers.
 * Same shape as 0007: a statement trigger on PostgreSQL, row triggers per event on SQLite.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw(
        `create trigger tf_product_lines_generation after insert or update or delete or truncate
        on product_lines for each statement execute function tf_bump_reference_generation()`,
      )
      .execute(db);
    return;
  }
  for (const event of ['insert', 'update', 'delete'])
    await sql
      .raw(
        `create trigger tf_product_lines_${event}_generation after ${event} on product_lines
        begin update reference_generation set n = n + 1 where id = 1; end`,
      )
      .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw('drop trigger if exists tf_product_lines_generation on product_lines')
      .execute(db);
    return;
  }
  for (const event of ['insert', 'update', 'delete'])
    await sql.raw(`drop trigger if exists tf_product_lines_${event}_generation`).execute(db);
}
