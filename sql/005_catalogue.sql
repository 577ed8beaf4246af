-- The catalogue of matters as a dimension table, so dashboards can label category codes:
-- JOIN catalogue FINAL USING (category_code), or dictGet on a dictionary built from it.
-- Grain: one row per catalogue item. Filled from jobs/src/main/resources/io/citypulse/catalogue/
-- (majors.csv, catalogue.csv) by scripts/load-catalogue, which scripts/stack up runs after the
-- migrations. Idempotent: each load inserts every item with a new version and then deletes the
-- rows of older versions, so a reload replaces the catalogue (items dropped from the file go too)
-- without the table ever being empty. Read with FINAL.
CREATE TABLE IF NOT EXISTS catalogue
(
    category_code            String COMMENT 'item code, the categoryCode of events, e.g. NOISE-CONSTRUCTION',
    category_major           LowCardinality(String) COMMENT 'major category code, the categoryMajor of events',
    item_name_en             String COMMENT 'item name, English',
    item_name_zh             String COMMENT 'item name, Chinese',
    major_name_en            LowCardinality(String) COMMENT 'major category name, English',
    major_name_zh            LowCardinality(String) COMMENT 'major category name, Chinese',
    agency                   LowCardinality(String) COMMENT 'responsible unit',
    default_resolution_hours UInt32 COMMENT 'default resolution time; dueTime = creation + this',
    dispatch_limit_minutes   Nullable(UInt32) COMMENT 'stricter dispatch deadline of the item; null: the platform''s (30 min emergency, 2 h general)',
    major_rank               UInt16 COMMENT 'display order of the major (1 = first in majors.csv)',
    item_rank                UInt16 COMMENT 'position of the item within its major (1 = most frequent)',
    version                  UInt64 COMMENT 'load time in ms; the highest version of a code is current'
)
ENGINE = ReplacingMergeTree(version)
ORDER BY category_code;
