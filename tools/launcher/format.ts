/** A JSON log line as people read it: time, level, message, then the fields. Other lines pass unchanged. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const { time, level, message, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const rest = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const clock = typeof time === 'string' ? time.slice(11, 19) : '';
    return `${clock} ${String(level ?? '').padEnd(5)} ${String(message ?? '')}${rest ? `  ${rest}` : ''}`;
  } catch {
    return line;
  }
}
