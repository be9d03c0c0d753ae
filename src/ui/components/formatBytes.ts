const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** "1.2 MB": decimal units, as phones and tablets show storage. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const number = unit === 0 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${number} ${BYTE_UNITS[unit]}`;
}
