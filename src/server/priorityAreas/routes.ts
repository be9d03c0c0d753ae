// The Priority areas routes of docs/sync-protocol.md: a coordinator reads and saves the organisation's
// postcode districts and sectors and the decile threshold, and imports (or removes) postcodes with their
// area and deprivation decile. A bad entry or a bad line refuses the whole change, with its reasons.
import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  IMD_EDITIONS,
  MAX_PRIORITY_AREAS,
  POSTCODE_IMPORT_LIMITS,
  parsePriorityAreas,
  postcodeFileSizeProblem,
} from '../../domain/priorityAreas';
import { requireCoordinator } from '../auth/guard';
import type { Database } from '../db/database';
import {
  readPriorityAreas,
  removeImportedPostcodes,
  replaceImportedPostcodes,
  savePriorityAreaRule,
} from '../db/priorityAreas';
import { HttpError } from '../errors';
import { parseBody } from '../validation';
import { parsePostcodeCsv } from './postcodeCsv';

const ruleBodySchema = z.object({
  areas: z
    .array(z.string({ error: 'Each district or sector must be text' }).max(40, 'An entry is too long'), {
      error: 'areas must be a list of districts and sectors',
    })
    .max(MAX_PRIORITY_AREAS * 2, `List at most ${MAX_PRIORITY_AREAS} districts and sectors`),
  decileThreshold: z
    .number({ error: 'decileThreshold must be a whole number from 1 to 10' })
    .int('decileThreshold must be a whole number from 1 to 10')
    .min(1, 'decileThreshold must be a whole number from 1 to 10')
    .max(10, 'decileThreshold must be a whole number from 1 to 10'),
});

const importQuerySchema = z.object({
  edition: z.enum(IMD_EDITIONS.map(String) as ['2019', '2025'], {
    error:
      'Say which edition of the English Indices of Deprivation the deciles come from: edition=2019 or edition=2025',
  }),
});

/** The CSV bodies accepted (text/plain too: some browsers label a .csv file so). */
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

const fileTooLarge = () =>
  new HttpError(
    413,
    'file-too-large',
    postcodeFileSizeProblem(POSTCODE_IMPORT_LIMITS.maxBytes + 1) ??
      'The file is too large. Keep only the postcodes of the areas you work in.',
  );

export function registerPriorityAreaRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  // In a scope of their own: the CSV body parser and its size limit apply to these routes only.
  app.register(async (scope) => {
    scope.addContentTypeParser(CSV_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: FastifyError) => {
      // The body limit's own message says nothing a coordinator can act on.
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw fileTooLarge();
      throw error;
    });

    scope.get('/api/priority-areas', async (request) => {
      const caller = await requireCoordinator(request);
      return database.transaction((sql) => readPriorityAreas(sql, caller.organisationId));
    });

    scope.put('/api/priority-areas', async (request) => {
      const caller = await requireCoordinator(request);
      const body = parseBody(ruleBodySchema, request.body);
      const { areas, problems } = parsePriorityAreas(body.areas);
      if (problems.length > 0) {
        throw new HttpError(
          400,
          'invalid-priority-areas',
          `Nothing was saved. ${problems.map((problem) => problem.message).join('; ')}.`,
          { problems },
        );
      }
      const summary = await database.transaction(async (sql) => {
        const newlyDecided = await savePriorityAreaRule(sql, caller.organisationId, caller.userId, {
          areas,
          decileThreshold: body.decileThreshold,
        });
        return { ...(await readPriorityAreas(sql, caller.organisationId)), newlyDecided };
      });
      request.log.info(
        { byUserId: caller.userId, areas: areas.length, newlyDecided: summary.newlyDecided },
        'priority areas saved',
      );
      return summary;
    });

    scope.post(
      '/api/priority-areas/postcodes',
      // A little over the file limit: a body of exactly the limit in bytes is checked and answered
      // by the domain's own message.
      { bodyLimit: POSTCODE_IMPORT_LIMITS.maxBytes + 1024 },
      async (request) => {
        const caller = await requireCoordinator(request);
        const query = importQuerySchema.safeParse(request.query);
        if (!query.success) {
          throw new HttpError(
            400,
            'edition-required',
            query.error.issues[0]?.message ?? 'Say which edition.',
          );
        }
        if (typeof request.body !== 'string') {
          throw new HttpError(
            415,
            'csv-required',
            'Send the file as CSV text (Content-Type: text/csv) with a header row: postcode, area name, decile.',
          );
        }
        const checked = parsePostcodeCsv(request.body);
        if (!checked.ok) {
          const count = checked.problems.length + checked.moreProblems;
          throw new HttpError(
            400,
            'postcode-file-refused',
            `The file was not imported, and nothing was changed: ${count === 1 ? 'it has a problem' : `it has ${count} problems`}.`,
            { problems: checked.problems, moreProblems: checked.moreProblems },
          );
        }
        const edition = Number(query.data.edition) as (typeof IMD_EDITIONS)[number];
        const summary = await database.transaction(async (sql) => {
          const newlyDecided = await replaceImportedPostcodes(
            sql,
            caller.organisationId,
            caller.userId,
            edition,
            checked.rows,
          );
          return { ...(await readPriorityAreas(sql, caller.organisationId)), newlyDecided };
        });
        request.log.info(
          { byUserId: caller.userId, postcodes: checked.rows.length, newlyDecided: summary.newlyDecided },
          'priority area postcodes imported',
        );
        return summary;
      },
    );

    scope.delete('/api/priority-areas/postcodes', async (request) => {
      const caller = await requireCoordinator(request);
      const summary = await database.transaction(async (sql) => {
        await removeImportedPostcodes(sql, caller.organisationId);
        return readPriorityAreas(sql, caller.organisationId);
      });
      request.log.info({ byUserId: caller.userId }, 'priority area postcodes removed');
      return summary;
    });
  });
}
