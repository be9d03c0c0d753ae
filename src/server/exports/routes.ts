// The CSV exports of docs/sync-protocol.md ("Exports"): a coordinator downloads learners, enrolments,
// attendance or outcomes as CSV, streamed a page at a time so memory stays bounded whatever the size,
// or the summary return (the dashboard's figures, small counts suppressed); each download is recorded
// when it ends, and the organisation's recent exports are listed.
//
// A page that fails after the first bytes have gone destroys the response: the client sees a broken
// download, never a file that looks whole but is short.
import { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { csvDocument, csvHeader, csvRow } from '../../domain/csv';
import { dashboardPeriodSchema, withoutEqualityBreakdowns } from '../../domain/reports/dashboard';
import {
  ATTENDANCE_COLUMNS,
  ENROLMENT_COLUMNS,
  EXPORT_KINDS,
  EXPORT_PAGE_SIZE,
  OUTCOME_COLUMNS,
  RECENT_EXPORTS_LIMIT,
  SUMMARY_TITLES,
  columnTitles,
  columnValues,
  exportFileName,
  learnerColumns,
  parseExportPeriod,
  periodProblemMessage,
  summaryReturnRows,
  type ExportColumn,
  type ExportKind,
  type ExportPeriod,
  type ExportRecord,
  type RecordedExportKind,
} from '../../domain/reports/exports';
import { SYNC_HEADERS } from '../../domain/sync/protocol';
import { requireCoordinator } from '../auth/guard';
import type { SessionUser } from '../auth/sessions';
import { readDashboard } from '../db/dashboard';
import type { Database } from '../db/database';
import {
  type ExportPage,
  type ExportPageRequest,
  listRecentExports,
  readAttendanceExportPage,
  readEnrolmentExportPage,
  readLearnerExportPage,
  readOutcomeExportPage,
  recordExport,
} from '../db/exports';
import { HttpError, loggableError } from '../errors';

/** Bytes the stream buffers ahead of a slow client, beyond the page being written. */
const STREAM_HIGH_WATER_MARK = 64 * 1024;

const kindParamsSchema = z.object({ kind: z.enum(EXPORT_KINDS) });

/** An export's columns and its pages. */
type PagedExport<Row> = {
  columns: readonly ExportColumn<Row>[];
  readPage(after: string | null): Promise<ExportPage<Row>>;
};

type ExportRequest = {
  caller: SessionUser;
  kind: RecordedExportKind;
  period: ExportPeriod | null;
  specialCategoryIncluded: boolean;
  startedAt: Date;
};

/** The day in the UK, for file names (the server's clock may run in UTC). */
function ukDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
}

function kindOf(params: unknown): ExportKind {
  const parsed = kindParamsSchema.safeParse(params);
  if (!parsed.success) {
    const message = `There is no such export. Choose one of: ${EXPORT_KINDS.join(', ')}.`;
    throw new HttpError(400, 'unknown-export', message, { kinds: EXPORT_KINDS });
  }
  return parsed.data.kind;
}

/** A row export's period: optional (all time without one). */
function periodOf(query: unknown): ExportPeriod | null {
  const fields =
    typeof query === 'object' && query !== null ? (query as { from?: unknown; to?: unknown }) : {};
  const parsed = parseExportPeriod({ from: fields.from, to: fields.to });
  if (!parsed.ok) {
    const { problem } = parsed;
    throw new HttpError(400, 'invalid-period', periodProblemMessage(problem), { problem });
  }
  return parsed.period;
}

/** The summary's period: required, and no longer than the dashboard allows. */
function summaryPeriodOf(query: unknown): ExportPeriod {
  const fields =
    typeof query === 'object' && query !== null ? (query as { from?: unknown; to?: unknown }) : {};
  const parsed = dashboardPeriodSchema.safeParse({ from: fields.from, to: fields.to });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    throw new HttpError(400, 'invalid-period', issues[0]?.message ?? 'The period is not valid.', { issues });
  }
  return parsed.data;
}

/** The Outreach-Device-Id header when it looks like a device id (the store checks it is the organisation's). */
function deviceIdOf(header: unknown): string | null {
  return typeof header === 'string' && z.uuid().safeParse(header).success ? header : null;
}

type Recorder = (rowCount: number, status: ExportRecord['status']) => Promise<void>;

/** The CSV chunks of one kind of export, its pages read by the store. */
function exportChunks(
  database: Database,
  kind: ExportKind,
  page: (after: string | null) => ExportPageRequest,
  learners: { includeSpecialCategory: boolean; exportedBy: { userId: string; deviceId: string | null } },
  record: Recorder,
  log: FastifyBaseLogger,
): AsyncGenerator<string> {
  switch (kind) {
    case 'learners':
      return csvChunks(
        {
          columns: learnerColumns(learners),
          readPage: (after) => readLearnerExportPage(database, { ...page(after), ...learners }),
        },
        record,
        log,
      );
    case 'enrolments':
      return csvChunks(
        { columns: ENROLMENT_COLUMNS, readPage: (after) => readEnrolmentExportPage(database, page(after)) },
        record,
        log,
      );
    case 'attendance':
      return csvChunks(
        { columns: ATTENDANCE_COLUMNS, readPage: (after) => readAttendanceExportPage(database, page(after)) },
        record,
        log,
      );
    case 'outcomes':
      return csvChunks(
        { columns: OUTCOME_COLUMNS, readPage: (after) => readOutcomeExportPage(database, page(after)) },
        record,
        log,
      );
  }
}

/**
 * The CSV text of an export, a page per chunk. The first chunk (byte-order mark, header and first
 * page) is only made once the first page is read, so a failure there is still answered as an error.
 * The export is recorded after the last chunk is handed over; a download that stops before (the
 * client left, a page failed) is recorded as incomplete.
 */
async function* csvChunks<Row>(
  source: PagedExport<Row>,
  record: Recorder,
  log: FastifyBaseLogger,
): AsyncGenerator<string> {
  let chunk = csvHeader(columnTitles(source.columns));
  let after: string | null = null;
  let rowCount = 0;
  let recorded = false;
  try {
    for (;;) {
      let page: ExportPage<Row>;
      try {
        page = await source.readPage(after);
      } catch (error) {
        // The database's message can quote stored values; only its kind and code are logged.
        log.error({ error: loggableError(error), rowsSoFar: rowCount }, 'export page failed');
        throw new Error('An export page could not be read.');
      }
      for (const row of page.rows) chunk += csvRow(columnValues(source.columns, row));
      rowCount += page.rows.length;
      if (page.next === null) break;
      after = page.next;
      // A page whose rows were all left out (other periods, erased learners) adds nothing to send.
      if (chunk !== '') yield chunk;
      chunk = '';
    }
    if (chunk !== '') yield chunk;
    await record(rowCount, 'completed');
    recorded = true;
  } finally {
    if (!recorded) {
      await record(rowCount, 'incomplete').catch((error: unknown) => {
        log.error({ error: loggableError(error) }, 'an incomplete export could not be recorded');
      });
    }
  }
}

export function registerExportRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  const recorder = (request: ExportRequest) => (rowCount: number, status: ExportRecord['status']) =>
    recordExport(database, {
      organisationId: request.caller.organisationId,
      userId: request.caller.userId,
      kind: request.kind,
      period: request.period,
      rowCount,
      specialCategoryIncluded: request.specialCategoryIncluded,
      status,
      startedAt: request.startedAt,
    });

  app.get('/api/exports', async (request) => {
    const caller = await requireCoordinator(request);
    return { exports: await listRecentExports(database, caller.organisationId, RECENT_EXPORTS_LIMIT) };
  });

  // No HEAD routes: answering one would run (and record) the whole export only to drop it.
  // The summary is a page of figures: made whole, recorded, then sent.
  app.get('/api/exports/summary.csv', { exposeHeadRoute: false }, async (request, reply) => {
    const caller = await requireCoordinator(request);
    const period = summaryPeriodOf(request.query);
    const startedAt = new Date();
    const all = await database.transaction((sql) => readDashboard(sql, caller.organisationId, period));
    // As on the dashboard: the equality breakdowns go only to a coordinator allowed equality answers.
    const figures = caller.maySeeSpecialCategory ? all : withoutEqualityBreakdowns(all);
    const rows = summaryReturnRows(figures);
    await recordExport(database, {
      organisationId: caller.organisationId,
      userId: caller.userId,
      kind: 'summary',
      period,
      rowCount: rows.length,
      // Counts of equality answers, suppressed, are not anyone's answers.
      specialCategoryIncluded: false,
      status: 'completed',
      startedAt,
    });
    request.log.info({ kind: 'summary', byUserId: caller.userId }, 'export taken');
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${exportFileName('summary', period, ukDate(startedAt))}"`,
      )
      .send(csvDocument(SUMMARY_TITLES, rows));
  });

  app.get('/api/exports/:kind.csv', { exposeHeadRoute: false }, async (request, reply) => {
    const caller = await requireCoordinator(request);
    const kind = kindOf(request.params);
    const period = periodOf(request.query);
    const includeSpecialCategory = kind === 'learners' && caller.maySeeSpecialCategory;
    const exportRequest: ExportRequest = {
      caller,
      kind,
      period,
      specialCategoryIncluded: includeSpecialCategory,
      startedAt: new Date(),
    };
    const chunks = exportChunks(
      database,
      kind,
      (after) => ({ organisationId: caller.organisationId, period, after, limit: EXPORT_PAGE_SIZE }),
      {
        includeSpecialCategory,
        exportedBy: {
          userId: caller.userId,
          deviceId: deviceIdOf(request.headers[SYNC_HEADERS.deviceId]),
        },
      },
      recorder(exportRequest),
      request.log,
    );
    request.log.info({ kind, byUserId: caller.userId, includeSpecialCategory }, 'export started');
    const body = Readable.from(chunks, { objectMode: false, highWaterMark: STREAM_HIGH_WATER_MARK });
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${exportFileName(kind, period, ukDate(exportRequest.startedAt))}"`,
      )
      .send(body);
  });
}
