/** The HTML id of a form field from its react-hook-form name: "dateOfBirth.day" → "dateOfBirth-day". */
export function fieldId(name: string): string {
  return name.replace(/\./g, '-');
}

export function errorId(name: string): string {
  return `${fieldId(name)}-error`;
}

export function hintId(name: string): string {
  return `${fieldId(name)}-hint`;
}
