-- The registry searches subjects and numbers with trigram indexes; trytond
-- skips them silently when the extension is missing.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
