-- 013: the dashboard trigger's deletes as static statements. 012 built each of its six deletes with
-- EXECUTE format(...), which PostgreSQL parses and plans again on every call: on every statement that
-- writes `records`, so on every push. Static statements are planned once per connection and reused.
-- What the function does is unchanged.
CREATE OR REPLACE FUNCTION dashboard_mark_stale(
  organisation_ids uuid[], entity_types text[], entity_ids uuid[], learner_ids text[], session_ids text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  learner_organisations uuid[];
  learners uuid[];
BEGIN
  WITH touched AS (
    SELECT DISTINCT r.organisation_id, k.kind, k.id
    FROM unnest(organisation_ids, entity_types, entity_ids, learner_ids, session_ids)
           AS r(organisation_id, entity_type, entity_id, learner_id, session_id)
    CROSS JOIN LATERAL (VALUES
      ('learner', CASE WHEN r.entity_type = 'learner' THEN r.entity_id::text ELSE r.learner_id END),
      ('session', CASE WHEN r.entity_type = 'session' THEN r.entity_id::text ELSE r.session_id END)
    ) AS k(kind, id)
    WHERE k.id IS NOT NULL
  ),
  marked AS (
    INSERT INTO dashboard_stale (organisation_id, kind, id)
    SELECT organisation_id, kind, id FROM touched
    ON CONFLICT DO NOTHING
  )
  SELECT array_agg(organisation_id), array_agg(id::uuid) INTO learner_organisations, learners
  FROM touched
  WHERE kind = 'learner' AND id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  IF learners IS NULL THEN
    RETURN;
  END IF;
  DELETE FROM dashboard_learners AS d USING unnest(learner_organisations, learners) AS l(organisation_id, learner_id)
  WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id;
  DELETE FROM dashboard_enrolments AS d USING unnest(learner_organisations, learners) AS l(organisation_id, learner_id)
  WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id;
  DELETE FROM dashboard_employment AS d USING unnest(learner_organisations, learners) AS l(organisation_id, learner_id)
  WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id;
  DELETE FROM dashboard_learner_places AS d USING unnest(learner_organisations, learners) AS l(organisation_id, learner_id)
  WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id;
  DELETE FROM dashboard_passports AS d USING unnest(learner_organisations, learners) AS l(organisation_id, learner_id)
  WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id;
  DELETE FROM dashboard_outcomes AS d USING unnest(learner_organisations, learners) AS l(organisation_id, learner_id)
  WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id;
END $$;
