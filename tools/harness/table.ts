/** Rows of cells as an aligned plain-text table (numbers right-aligned), header first. */
export function formatTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const text = (value: string | number | undefined) => (value === undefined ? '' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => text(row[column]).length)));
  const line = (cells: (string | number | undefined)[]) =>
    cells
      .map((cell, i) => (typeof cell === 'number' ? text(cell).padStart(widths[i]!) : text(cell).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...rows.map((row) => line(columns.map((column) => row[column]))),
  ].join('\n');
}
