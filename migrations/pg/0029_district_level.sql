-- 0029_district_level: procedures of the district level (cấp huyện), so
-- that the years before the two-level government of 1 July 2025 can be
-- kept and reported as they were (a province's 2024 catalog, Biểu 06's
-- three levels).
ALTER TABLE procedure_versions DROP CONSTRAINT procedure_versions_level_check;
ALTER TABLE procedure_versions ADD CONSTRAINT procedure_versions_level_check
  CHECK (level IN ('province', 'district', 'commune'));
