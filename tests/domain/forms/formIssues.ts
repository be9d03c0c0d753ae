// Reads a form schema's result as the error summary would show it: each field's path and message.
import type { z } from 'zod';

export type FormIssue = { path: PropertyKey[]; message: string };

export function formIssues(schema: z.ZodType, values: unknown): FormIssue[] {
  const result = schema.safeParse(values);
  return result.success ? [] : result.error.issues.map(({ path, message }) => ({ path, message }));
}

/** Parses values that must be valid, failing the test with the issues if they are not. */
export function parseValid<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const result = schema.safeParse(values);
  if (!result.success) {
    throw new Error(`Expected valid form values, got ${JSON.stringify(result.error.issues, null, 2)}`);
  }
  return result.data;
}
