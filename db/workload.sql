-- Description: Synthetic demo workload for the MedicalCor reference schema.
--              Run after all migrations:  psql -v ON_ERROR_STOP=1 -f db/workload.sql "$DATABASE_URL"
--              Writes a few thousand rows per table (re-runnable: every run adds a new batch),
--              ~2,000 random 1536-dim embeddings, runs ANALYZE, then typical read queries.
-- Data: entirely synthetic. Hashes are SHA-256 of made-up strings such as 'lead-phone-42';
--       "encrypted" columns hold random bytes. No real personal data.

\set ON_ERROR_STOP on
-- Target number of embeddings; override with  psql -v embeddings=500  for a faster run.
\if :{?embeddings}
\else
\set embeddings 2000
\endif
SET statement_timeout = '60s';
SELECT setseed(0.42);

BEGIN;

-- 5,000 leads
INSERT INTO leads (phone_hash, email_hash, source, utm_campaign, status, contact_attempts, created_at)
SELECT encode(sha256(convert_to('lead-phone-' || g, 'UTF8')), 'hex'),
       CASE WHEN g % 3 = 0 THEN NULL
            ELSE encode(sha256(convert_to('lead-' || g || '@example.invalid', 'UTF8')), 'hex') END,
       (ARRAY['whatsapp', 'web_form', 'facebook', 'google_ads', 'referral'])[1 + g % 5],
       'campaign-' || (g % 12),
       (ARRAY['new', 'contacted', 'qualified', 'converted', 'lost'])[1 + g % 5],
       g % 6,
       now() - make_interval(mins => g * 7)
FROM generate_series(1, 5000) AS g;

-- Converted leads become patients (~1,000 per run).
INSERT INTO patients (lead_id, phone_hash, email_hash, full_name_encrypted, date_of_birth_encrypted,
                      preferred_clinic_id, status, created_at)
SELECT l.id, l.phone_hash, l.email_hash,
       decode(md5('name-' || l.id::text) || md5('iv-' || l.id::text), 'hex'),
       decode(md5('dob-' || l.id::text), 'hex'),
       (ARRAY['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
              '00000000-0000-4000-8000-000000000003']::uuid[])[1 + (hashtext(l.id::text) & 1) + (hashtext(l.id::text) & 2) / 2],
       'active',
       l.created_at + interval '2 days'
FROM leads AS l
WHERE l.status = 'converted'
  AND NOT EXISTS (SELECT 1 FROM patients AS p WHERE p.lead_id = l.id);

-- One or two cases per new patient.
INSERT INTO cases (patient_id, treatment_type, status, estimated_value_cents, currency, opened_at, closed_at)
SELECT p.id,
       (ARRAY['all_on_4', 'implant', 'crown', 'veneers', 'orthodontics'])[1 + n + (hashtext(p.id::text) & 3)],
       s.status,
       100000 + (hashtext(p.id::text || n) & 2000000),
       'EUR',
       p.created_at - make_interval(days => 120 - n * 30),
       CASE WHEN s.status = 'closed' THEN p.created_at - make_interval(days => 20 - n * 10) END
FROM patients AS p
CROSS JOIN generate_series(0, 1) AS n
CROSS JOIN LATERAL (SELECT (ARRAY['open', 'in_treatment', 'closed', 'cancelled'])[1 + (hashtext(p.id::text) & 3)] AS status) AS s
WHERE NOT EXISTS (SELECT 1 FROM cases AS c WHERE c.patient_id = p.id)
  AND (n = 0 OR hashtext(p.id::text) % 2 = 0);

-- Consents: data processing (always) and marketing (some revoked later).
INSERT INTO consents (patient_id, purpose, channel, text_version, granted_at, revoked_at)
SELECT p.id, pr.purpose,
       (ARRAY['whatsapp', 'sms', 'email', 'phone', 'in_person', 'web'])[1 + (hashtext(p.id::text || pr.purpose) & 3)],
       'v2024.01',
       p.created_at,
       CASE WHEN pr.purpose = 'marketing' AND hashtext(p.id::text) % 4 = 0 THEN p.created_at + interval '30 days' END
FROM patients AS p
CROSS JOIN (VALUES ('data_processing'), ('marketing')) AS pr (purpose)
WHERE NOT EXISTS (SELECT 1 FROM consents AS c WHERE c.patient_id = p.id);

-- Domain events: one CaseOpened per case without a stream yet.
INSERT INTO events (stream_type, stream_id, stream_version, event_type, payload, occurred_at)
SELECT 'case', c.id, 1, 'CaseOpened',
       jsonb_build_object('caseId', c.id, 'patientId', c.patient_id, 'treatmentType', c.treatment_type),
       c.opened_at
FROM cases AS c
WHERE NOT EXISTS (SELECT 1 FROM events AS e WHERE e.stream_type = 'case' AND e.stream_id = c.id);

-- Audit trail: 3,000 reads of patient records by synthetic staff users.
INSERT INTO audit_logs (occurred_at, actor_type, actor_id, action, resource_type, resource_id,
                        correlation_id, ip_hash, metadata)
SELECT now() - make_interval(secs => g * 13),
       'user',
       ('00000000-0000-4000-9000-' || lpad((g % 20)::text, 12, '0'))::uuid,
       (ARRAY['patient.read', 'patient.update', 'case.read', 'consent.read'])[1 + g % 4],
       'patient',
       p.id,
       gen_random_uuid(),
       encode(sha256(convert_to('ip-' || (g % 50), 'UTF8')), 'hex'),
       jsonb_build_object('route', '/patients/:id', 'synthetic', true)
FROM generate_series(1, 3000) AS g
CROSS JOIN LATERAL (SELECT id FROM patients ORDER BY id OFFSET (g * 7) % GREATEST((SELECT count(*) FROM patients), 1) LIMIT 1) AS p;

-- Embeddings, topped up to :embeddings (default 2,000) in total. Each row is inserted into the
-- HNSW graph, ~3-4 ms per random 1536-dim vector on one core (~7 s for 2,000, the bulk of this
-- script), so later runs do not add more.
-- Components are random in [-0.5, 0.5).
-- The subquery's WHERE references g so it is correlated and re-evaluated per row
-- (one distinct vector each) instead of being computed once as an InitPlan.
INSERT INTO embeddings (source_type, source_id, content_hash, embedding, metadata)
SELECT (ARRAY['lead', 'case', 'document'])[1 + g % 3],
       gen_random_uuid(),
       encode(sha256(convert_to('chunk-' || g || '-' || clock_timestamp()::text, 'UTF8')), 'hex'),
       (SELECT array_agg(random() - 0.5)::vector(1536) FROM generate_series(1, 1536) WHERE g > 0),
       jsonb_build_object('chunk', g, 'synthetic', true)
FROM generate_series(1, GREATEST(0, :embeddings - (SELECT count(*) FROM embeddings))) AS g;

COMMIT;

ANALYZE leads, patients, cases, consents, events, audit_logs, embeddings;

-- Typical reads -------------------------------------------------------------------------------

-- Lead by id (primary key).
SELECT id, status, source, created_at FROM leads
WHERE id = (SELECT id FROM leads ORDER BY created_at DESC LIMIT 1);

-- Lead deduplication by phone hash (idx_leads_phone_hash).
SELECT id, status, created_at FROM leads
WHERE phone_hash = encode(sha256(convert_to('lead-phone-42', 'UTF8')), 'hex');

-- Lead pipeline: newest qualified leads (idx_leads_status_created_at).
SELECT id, source, created_at FROM leads
WHERE status = 'qualified' ORDER BY created_at DESC LIMIT 20;

-- Patient by phone hash (idx_patients_phone_hash).
SELECT id, status FROM patients
WHERE phone_hash = encode(sha256(convert_to('lead-phone-8', 'UTF8')), 'hex');

-- Cases of a patient, newest first (idx_cases_patient_id_opened_at).
SELECT c.case_number, c.treatment_type, c.status, c.opened_at
FROM cases AS c
WHERE c.patient_id = (SELECT id FROM patients ORDER BY id LIMIT 1)
ORDER BY c.opened_at DESC;

-- Active consent check before a marketing message (uq_consents_active_patient_purpose).
SELECT EXISTS (
    SELECT 1 FROM consents
    WHERE patient_id = (SELECT id FROM patients ORDER BY id LIMIT 1)
      AND purpose = 'marketing' AND revoked_at IS NULL
) AS may_contact;

-- Audit trail of one patient record (idx_audit_logs_resource).
SELECT occurred_at, actor_id, action FROM audit_logs
WHERE resource_type = 'patient' AND resource_id = (SELECT resource_id FROM audit_logs LIMIT 1)
ORDER BY occurred_at DESC LIMIT 50;

-- Event stream replay (events_stream_version_key).
SELECT stream_version, event_type, payload FROM events
WHERE stream_type = 'case' AND stream_id = (SELECT stream_id FROM events LIMIT 1)
ORDER BY stream_version;

-- Cosine similarity search, top 10 (idx_embeddings_embedding_hnsw, operator <=>).
SET hnsw.ef_search = 40;
SELECT id AS query_id, embedding AS q FROM embeddings ORDER BY created_at, id LIMIT 1 \gset
SELECT id, source_type, source_id, embedding <=> :'q'::vector(1536) AS cosine_distance
FROM embeddings
ORDER BY embedding <=> :'q'::vector(1536)
LIMIT 10;
