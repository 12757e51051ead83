-- phase: expand
-- 0046_migration_phase: expand, then contract (docs/operations.md
-- "Upgrades"). From this migration on each one says in its first line
-- whether it only adds ("-- phase: expand": the previous release of motcua
-- still runs on the database, so instances are upgraded one at a time
-- while the others serve) or takes away what only the previous release
-- used ("-- phase: contract", shipped a release after the code stopped
-- using it). The phase is recorded: a motcua finding migrations it does not
-- know serves on if all of them are expansions. The ones before this
-- predate the rule and count as contractions.
ALTER TABLE schema_migrations ADD COLUMN phase TEXT NOT NULL
  DEFAULT 'contract' CHECK (phase IN ('expand', 'contract'));
