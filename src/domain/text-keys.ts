/**
 * How users' spellings of codes, names and column headers are compared — on the server when a
 * file is imported, and in the browser when a mapping editor shows which headers it already knows.
 */

/** Plain ASCII with nothing to fold but upper case: most codes ('S00012', 'SKU-01-02'). */
const PLAIN_ASCII = /^[\x21-\x7e]*$/;

/** Lower-case, full-width folded, without spaces: how users' spellings are compared. */
export function fold(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * How headers are compared: full-width folded, case-insensitive, spaces ignored, required-field
 * markers ('*工号') and a bracketed suffix ('金额（元）', '日期[YYYY-MM-DD]') dropped. The suffix is
 * returned because for money it is the unit.
 */
export function headerKey(header: string): { key: string; suffix: string } {
  let s = header
    .normalize('NFKC')
    .trim()
    .replace(/^\*+|\*+$/g, '')
    .trim();
  let suffix = '';
  const bracket = /^(.+?)\s*[([【]([^()[\]【】]*)[)\]】]$/.exec(s);
  if (bracket) {
    s = bracket[1] ?? s;
    suffix = (bracket[2] ?? '').trim();
  }
  return { key: fold(s.replace(/^\*+|\*+$/g, '')), suffix };
}
