// The SQL of priority areas: each organisation's rule and imported postcodes, and the learners' flags
// in learner_priority_areas. A flag is decided once (the first time the server holds the learner's
// postcode while a rule is set) and never changed afterwards: INSERT … ON CONFLICT DO NOTHING.
import {
  type ImdEdition,
  type ImportedPostcode,
  type PriorityAreaRule,
  type PriorityAreasSummary,
  DEFAULT_DECILE_THRESHOLD,
  decidePriorityArea,
  hasPriorityAreaRule,
} from '../../domain/priorityAreas';
import type { Sql } from './database';

/** Rows written per statement: big imports go in a few statements, each JSON parameter a few MB at most. */
const BATCH = 10_000;
/** Areas listed in the summary; the rest are counted. */
const SUMMARY_AREAS = 50;

type RuleRow = {
  areas: string[];
  decile_threshold: number;
  imd_edition: number | null;
  updated_at: Date | null;
  updated_by_name: string | null;
  postcodes_imported_at: Date | null;
  postcodes_imported_by_name: string | null;
};

type LoadedRule = { rule: PriorityAreaRule; hasImported: boolean };

/** The fields of a learner record the flag depends on. */
export type LearnerForDecision = {
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  deleted: boolean;
};

type PendingLearner = { learnerId: string; postcode: string };

/**
 * Takes the organisation's row lock, the one a push takes: a rule saved or an import finishes entirely
 * before or after any push, so no learner is decided against a rule half-changed.
 */
async function lockOrganisation(sql: Sql, organisationId: string): Promise<void> {
  await sql.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [organisationId]);
}

async function loadRule(sql: Sql, organisationId: string): Promise<LoadedRule | null> {
  const { rows } = await sql.query<{ areas: string[]; decile_threshold: number; has_imported: boolean }>(
    `SELECT areas, decile_threshold, postcodes_imported_at IS NOT NULL AS has_imported
     FROM priority_area_rules WHERE organisation_id = $1`,
    [organisationId],
  );
  const row = rows[0];
  if (!row) return null;
  const rule = { areas: row.areas, decileThreshold: row.decile_threshold };
  return hasPriorityAreaRule(rule, row.has_imported ? 1 : 0) ? { rule, hasImported: row.has_imported } : null;
}

/** A learner's postcode when it is known: not "postcode unknown", not empty. */
function knownPostcodeOf(data: Record<string, unknown>): string | null {
  if (data['postcodeUnknown'] === true) return null;
  const postcode = data['postcode'];
  return typeof postcode === 'string' && postcode !== '' ? postcode : null;
}

/** Decides the learners (those with a row already are left as they are); returns how many were new. */
async function decideAndStore(
  sql: Sql,
  organisationId: string,
  { rule, hasImported }: LoadedRule,
  learners: readonly PendingLearner[],
): Promise<number> {
  let stored = 0;
  for (let start = 0; start < learners.length; start += BATCH) {
    const batch = learners.slice(start, start + BATCH);
    const imported = new Map<string, ImportedPostcode>();
    if (hasImported) {
      const { rows } = await sql.query<{ postcode: string; area_name: string; decile: number }>(
        `SELECT postcode, area_name, decile FROM priority_area_postcodes
         WHERE organisation_id = $1 AND postcode = ANY($2::text[])`,
        [organisationId, [...new Set(batch.map((learner) => learner.postcode))]],
      );
      for (const row of rows) {
        imported.set(row.postcode, { postcode: row.postcode, areaName: row.area_name, decile: row.decile });
      }
    }
    const decisions = batch.flatMap((learner) => {
      const decision = decidePriorityArea(rule, learner.postcode, imported.get(learner.postcode) ?? null);
      if (!decision) return [];
      return [
        {
          learner_id: learner.learnerId,
          in_priority_area: decision.inPriorityArea,
          area_name: decision.areaName,
          decile: decision.decile,
        },
      ];
    });
    if (decisions.length === 0) continue;
    const { rows } = await sql.query(
      `INSERT INTO learner_priority_areas (organisation_id, learner_id, in_priority_area, area_name, decile, imd_edition)
       SELECT $1, d.learner_id, d.in_priority_area, d.area_name, d.decile,
              CASE WHEN d.decile IS NULL THEN NULL
                   ELSE (SELECT imd_edition FROM priority_area_rules WHERE organisation_id = $1) END
       FROM jsonb_to_recordset($2::jsonb)
         AS d(learner_id uuid, in_priority_area boolean, area_name text, decile smallint)
       ON CONFLICT (organisation_id, learner_id) DO NOTHING
       RETURNING learner_id`,
      [organisationId, JSON.stringify(decisions)],
    );
    stored += rows.length;
  }
  return stored;
}

/**
 * The push's hook (src/server/db/syncStore.ts), in the push's transaction: learners the push stored
 * with a known postcode get their flag, if the organisation has a rule and they have none yet.
 */
export async function decideLearnerPriorityAreas(
  sql: Sql,
  organisationId: string,
  records: readonly LearnerForDecision[],
): Promise<void> {
  const learners = records.flatMap((record) => {
    if (record.entityType !== 'learner' || record.deleted) return [];
    const postcode = knownPostcodeOf(record.data);
    return postcode === null ? [] : [{ learnerId: record.entityId, postcode }];
  });
  if (learners.length === 0) return;
  const rule = await loadRule(sql, organisationId);
  if (!rule) return;
  await decideAndStore(sql, organisationId, rule, learners);
}

/** Decides every learner with a known postcode and no flag yet (after a rule is saved or an import). */
async function decideUndecidedLearners(sql: Sql, organisationId: string): Promise<number> {
  const rule = await loadRule(sql, organisationId);
  if (!rule) return 0;
  const { rows } = await sql.query<{ learner_id: string; postcode: string }>(
    `SELECT r.entity_id AS learner_id, r.data->>'postcode' AS postcode
     FROM records r
     WHERE r.organisation_id = $1 AND r.entity_type = 'learner' AND NOT r.deleted
       AND coalesce(r.data->>'postcode', '') <> ''
       AND coalesce(r.data->>'postcodeUnknown', 'false') <> 'true'
       AND NOT EXISTS (SELECT 1 FROM learner_priority_areas l
                       WHERE l.organisation_id = r.organisation_id AND l.learner_id = r.entity_id)`,
    [organisationId],
  );
  return decideAndStore(
    sql,
    organisationId,
    rule,
    rows.map((row) => ({ learnerId: row.learner_id, postcode: row.postcode })),
  );
}

/** Saves the listed areas and the threshold; learners with no flag yet are decided. */
export async function savePriorityAreaRule(
  sql: Sql,
  organisationId: string,
  userId: string,
  rule: PriorityAreaRule,
): Promise<number> {
  await lockOrganisation(sql, organisationId);
  await sql.query(
    `INSERT INTO priority_area_rules (organisation_id, areas, decile_threshold, updated_at, updated_by)
     VALUES ($1, $2::jsonb, $3, now(), $4)
     ON CONFLICT (organisation_id) DO UPDATE SET
       areas = excluded.areas, decile_threshold = excluded.decile_threshold,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [organisationId, JSON.stringify(rule.areas), rule.decileThreshold, userId],
  );
  return decideUndecidedLearners(sql, organisationId);
}

/** Replaces the organisation's imported postcodes with these (checked) rows; learners with no flag yet are decided. */
export async function replaceImportedPostcodes(
  sql: Sql,
  organisationId: string,
  userId: string,
  edition: ImdEdition,
  rows: readonly ImportedPostcode[],
): Promise<number> {
  await lockOrganisation(sql, organisationId);
  await sql.query('DELETE FROM priority_area_postcodes WHERE organisation_id = $1', [organisationId]);
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH).map((row) => ({
      postcode: row.postcode,
      area_name: row.areaName,
      decile: row.decile,
    }));
    await sql.query(
      `INSERT INTO priority_area_postcodes (organisation_id, postcode, area_name, decile)
       SELECT $1, p.postcode, p.area_name, p.decile
       FROM jsonb_to_recordset($2::jsonb) AS p(postcode text, area_name text, decile smallint)`,
      [organisationId, JSON.stringify(batch)],
    );
  }
  await sql.query(
    `INSERT INTO priority_area_rules (organisation_id, decile_threshold, imd_edition, postcodes_imported_at, postcodes_imported_by)
     VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (organisation_id) DO UPDATE SET
       imd_edition = excluded.imd_edition, postcodes_imported_at = excluded.postcodes_imported_at,
       postcodes_imported_by = excluded.postcodes_imported_by`,
    [organisationId, DEFAULT_DECILE_THRESHOLD, edition, userId],
  );
  return decideUndecidedLearners(sql, organisationId);
}

/** Removes the imported postcodes; flags already decided are kept. */
export async function removeImportedPostcodes(sql: Sql, organisationId: string): Promise<void> {
  await lockOrganisation(sql, organisationId);
  await sql.query('DELETE FROM priority_area_postcodes WHERE organisation_id = $1', [organisationId]);
  await sql.query(
    `UPDATE priority_area_rules
     SET imd_edition = NULL, postcodes_imported_at = NULL, postcodes_imported_by = NULL
     WHERE organisation_id = $1`,
    [organisationId],
  );
}

/** What is set, what was imported, and how many learners each way (the dashboard's counting rules). */
export async function readPriorityAreas(sql: Sql, organisationId: string): Promise<PriorityAreasSummary> {
  const { rows: ruleRows } = await sql.query<RuleRow>(
    `SELECT p.areas, p.decile_threshold, p.imd_edition, p.updated_at, u.name AS updated_by_name,
            p.postcodes_imported_at, i.name AS postcodes_imported_by_name
     FROM priority_area_rules p
     LEFT JOIN users u ON u.id = p.updated_by
     LEFT JOIN users i ON i.id = p.postcodes_imported_by
     WHERE p.organisation_id = $1`,
    [organisationId],
  );
  const rule = ruleRows[0];
  const decileThreshold = rule?.decile_threshold ?? DEFAULT_DECILE_THRESHOLD;

  let imported: PriorityAreasSummary['imported'] = null;
  if (rule?.postcodes_imported_at) {
    const { rows: counts } = await sql.query<{ postcodes: number; priority: number; areas: number }>(
      `SELECT count(*) AS postcodes, count(*) FILTER (WHERE decile <= $2) AS priority,
              count(DISTINCT area_name) AS areas
       FROM priority_area_postcodes WHERE organisation_id = $1`,
      [organisationId, decileThreshold],
    );
    const { rows: areas } = await sql.query<{ name: string; postcodes: number; lowest_decile: number }>(
      `SELECT area_name AS name, count(*) AS postcodes, min(decile) AS lowest_decile
       FROM priority_area_postcodes WHERE organisation_id = $1
       GROUP BY area_name ORDER BY min(decile), area_name LIMIT $2`,
      [organisationId, SUMMARY_AREAS],
    );
    imported = {
      imdEdition: rule.imd_edition === 2019 || rule.imd_edition === 2025 ? rule.imd_edition : null,
      importedAt: rule.postcodes_imported_at.toISOString(),
      importedByName: rule.postcodes_imported_by_name,
      postcodeCount: Number(counts[0]?.postcodes ?? 0),
      priorityPostcodeCount: Number(counts[0]?.priority ?? 0),
      areaCount: Number(counts[0]?.areas ?? 0),
      areas: areas.map((area) => ({
        name: area.name,
        postcodes: Number(area.postcodes),
        lowestDecile: Number(area.lowest_decile),
      })),
    };
  }

  // Learners counted as the dashboard counts them: not deleted, not erased, not merged into another.
  const { rows: learners } = await sql.query<{ in_area: number; not_in_area: number; not_known: number }>(
    `SELECT count(*) FILTER (WHERE l.in_priority_area) AS in_area,
            count(*) FILTER (WHERE NOT l.in_priority_area) AS not_in_area,
            count(*) FILTER (WHERE l.learner_id IS NULL) AS not_known
     FROM records r
     LEFT JOIN learner_priority_areas l ON l.organisation_id = r.organisation_id AND l.learner_id = r.entity_id
     WHERE r.organisation_id = $1 AND r.entity_type = 'learner' AND NOT r.deleted
       AND coalesce(r.data->>'status', '') <> 'erased' AND r.data->>'mergedInto' IS NULL`,
    [organisationId],
  );

  return {
    rule: {
      areas: rule?.areas ?? [],
      decileThreshold,
      updatedAt: rule?.updated_at ? rule.updated_at.toISOString() : null,
      updatedByName: rule?.updated_by_name ?? null,
    },
    imported,
    learners: {
      inPriorityArea: Number(learners[0]?.in_area ?? 0),
      notInPriorityArea: Number(learners[0]?.not_in_area ?? 0),
      notKnown: Number(learners[0]?.not_known ?? 0),
    },
  };
}
