/**
 * The verb of a statement that would change the warehouse, its schema, the session or the
 * server. Analysts' SQL is refused as a write by it when the database fails the statement for
 * another reason first (SQLite cannot even prepare a DELETE from a view; PostgreSQL says "cannot
 * delete from view" before its read-only transaction does), so the user reads "read-only", not
 * "bad SQL".
 */
const WRITING_VERB =
  /^(insert|update|delete|replace|merge|upsert|create|drop|alter|truncate|grant|revoke|copy|call|do|lock|vacuum|analyze|cluster|reindex|refresh|comment|security|import|reassign|discard|listen|notify|load|attach|detach|reindex)\b/i;

/** The text from its first word on: leading whitespace and comments skipped. */
function withoutLeadingComments(sql: string): string {
  let text = sql.trimStart();
  for (;;) {
    if (text.startsWith('--')) {
      const end = text.indexOf('\n');
      text = (end === -1 ? '' : text.slice(end)).trimStart();
    } else if (text.startsWith('/*')) {
      const end = text.indexOf('*/');
      text = (end === -1 ? '' : text.slice(end + 2)).trimStart();
    } else return text;
  }
}

/** The writing verb `sql` starts with, in upper case, or null. */
export function writingVerb(sql: string): string | null {
  const match = WRITING_VERB.exec(withoutLeadingComments(sql));
  return match === null ? null : match[1]!.toUpperCase();
}
