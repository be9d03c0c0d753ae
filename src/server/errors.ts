// The one JSON error shape the server answers with: { error: { reason, message, details } }.
import type { FastifyError } from 'fastify';

export type ErrorBody = {
  error: { reason: string; message: string; details: Record<string, unknown> };
};

/**
 * An expected refusal a route throws: its status, wire reason (kebab-case) and message go to the client
 * as they are, so the message must describe the request, never stored personal data.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(reason: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { reason, message, details } };
}

const REASON_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorised',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  431: 'headers-too-large',
  503: 'unavailable',
};

/** Maps any thrown error to a status and a body that never carries a stack trace. */
export function describeError(error: FastifyError | HttpError): { statusCode: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { statusCode: error.statusCode, body: errorBody(error.reason, error.message, error.details) };
  }
  const status = error.statusCode ?? 500;
  if (status < 400 || status > 599 || status === 500) {
    return {
      statusCode: 500,
      body: errorBody('internal-error', 'Something went wrong on the server. Please try again.'),
    };
  }
  if (error.validation) {
    const issues = error.validation.map((issue) => ({
      path: issue.instancePath,
      message: issue.message ?? 'is invalid',
    }));
    return {
      statusCode: status,
      body: errorBody('invalid-request', 'The request is not valid.', { issues }),
    };
  }
  if (status >= 500) {
    const reason = REASON_BY_STATUS[status] ?? 'server-error';
    return {
      statusCode: status,
      body: errorBody(reason, 'The server cannot answer this request right now.'),
    };
  }
  // Fastify's own 4xx messages describe the request, not stored data, so they are safe to return.
  return { statusCode: status, body: errorBody(REASON_BY_STATUS[status] ?? 'bad-request', error.message) };
}

/**
 * What is logged about an unexpected error: its kind, code and stack frames. A database error's
 * message and detail can quote the values of a row (a duplicate key, a value of the wrong type), so
 * of those only the SQLSTATE and the names of the constraint, table and column are kept.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  const fields = error as Error &
    Partial<Record<'code' | 'severity' | 'constraint' | 'table' | 'column', unknown>>;
  if (typeof fields.severity === 'string' && typeof fields.code === 'string') {
    return {
      type: 'DatabaseError',
      sqlState: fields.code,
      constraint: fields.constraint,
      table: fields.table,
      column: fields.column,
      stack: frames,
    };
  }
  return { type: error.name, message: error.message, code: fields.code, stack: frames };
}
