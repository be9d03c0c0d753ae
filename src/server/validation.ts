// Request bodies are parsed with zod before anything touches the database; a body that does not fit
// is answered 400 with one message per field, in the server's one error shape.
import type { z } from 'zod';
import { HttpError } from './errors';

export type FieldIssue = { path: string; message: string };

/** The parsed body, or a thrown 400 whose details list each field's problem. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid-request', 'Send a JSON object in the request body.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const message = issues.map((issue) => issue.message).join('. ');
  throw new HttpError(400, 'invalid-request', `${message}.`, { issues });
}
