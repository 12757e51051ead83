-- 0031_unit_lineage: where a unit's dossiers go when reports map history
-- onto the units of today (docs/reports.md "Units merged"). A unit with a
-- successor (a district abolished on 1 July 2025, a commune merged) hangs
-- under that successor; any other under its parent. mapped_path is the
-- path of that tree: for a unit and ancestors without successors it is
-- its path.
ALTER TABLE units ADD COLUMN mapped_path TEXT NOT NULL DEFAULT '';
WITH RECURSIVE m(id, mp) AS (
  SELECT id, path FROM units WHERE parent_id IS NULL AND
    successor_id IS NULL
  UNION ALL
  SELECT c.id, m.mp || c.id || '/' FROM units c JOIN m ON
    c.successor_id = m.id OR (c.successor_id IS NULL AND
    c.parent_id = m.id)
)
UPDATE units SET mapped_path = COALESCE((SELECT mp FROM m WHERE
  m.id = units.id), path);
CREATE INDEX units_mapped_path ON units (mapped_path);
