"""The search index's DDL for each database, used by the migration and by `search rebuild`.

The index reads the analysis table (`analysis_articleanalysis`), which holds each article's
words pre-segmented by our tokenizer and space-separated, so the database's own word
splitting only has to split on spaces:

- SQLite: an external-content FTS5 table over (title_terms, body_terms, grams, facets),
  kept in step by triggers for rows whose `published_at` is set (published articles only);
  `facets` holds filter tokens (channel, author, month) so that a filtered query is an
  intersection inside the index instead of a scan of every match;
- PostgreSQL: a generated `tsvector` column ('simple' configuration; title weighted A,
  body B, grams D) with a partial GIN index over published rows.
"""

TABLE = "analysis_articleanalysis"
FTS = "search_fts"
COLUMNS = "title_terms, body_terms, grams, facets"

_SQLITE_TRIGGERS = {
    "search_fts_insert": f"""
        CREATE TRIGGER search_fts_insert AFTER INSERT ON {TABLE}
        WHEN new.published_at IS NOT NULL BEGIN
            INSERT INTO {FTS} (rowid, {COLUMNS})
            VALUES (new.article_id, new.title_terms, new.body_terms, new.grams, new.facets);
        END""",
    "search_fts_delete": f"""
        CREATE TRIGGER search_fts_delete AFTER DELETE ON {TABLE}
        WHEN old.published_at IS NOT NULL BEGIN
            INSERT INTO {FTS} ({FTS}, rowid, {COLUMNS})
            VALUES ('delete', old.article_id, old.title_terms, old.body_terms, old.grams,
                    old.facets);
        END""",
    "search_fts_update": f"""
        CREATE TRIGGER search_fts_update
        AFTER UPDATE OF title_terms, body_terms, grams, facets, published_at ON {TABLE} BEGIN
            INSERT INTO {FTS} ({FTS}, rowid, {COLUMNS})
            SELECT 'delete', old.article_id, old.title_terms, old.body_terms, old.grams,
                old.facets
            WHERE old.published_at IS NOT NULL;
            INSERT INTO {FTS} (rowid, {COLUMNS})
            SELECT new.article_id, new.title_terms, new.body_terms, new.grams, new.facets
            WHERE new.published_at IS NOT NULL;
        END""",
}

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        {COLUMNS}, content='{TABLE}', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    *_SQLITE_TRIGGERS.values(),
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS] + [
    f"DROP TABLE IF EXISTS {FTS}"
]
SQLITE_REBUILD = [
    f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')",
    f"""INSERT INTO {FTS} (rowid, {COLUMNS})
        SELECT article_id, {COLUMNS} FROM {TABLE} WHERE published_at IS NOT NULL""",
    f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')",
]

POSTGRES_CREATE = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_terms), 'A')
        || setweight(to_tsvector('simple', body_terms), 'B')
        || setweight(to_tsvector('simple', grams), 'D')
    ) STORED""",
    f"""CREATE INDEX search_vector_idx ON {TABLE} USING gin (search_vector)
        WHERE published_at IS NOT NULL""",
    f"CREATE INDEX search_published_idx ON {TABLE} (published_at) WHERE published_at IS NOT NULL",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_published_idx",
    "DROP INDEX IF EXISTS search_vector_idx",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]
POSTGRES_REBUILD = ["REINDEX INDEX search_vector_idx", f"ANALYZE {TABLE}"]


def statements(vendor: str, action: str) -> list[str]:
    """The statements that create, drop or rebuild the index on this database."""
    table = {
        ("sqlite", "create"): SQLITE_CREATE,
        ("sqlite", "drop"): SQLITE_DROP,
        ("sqlite", "rebuild"): SQLITE_REBUILD,
        ("postgresql", "create"): POSTGRES_CREATE,
        ("postgresql", "drop"): POSTGRES_DROP,
        ("postgresql", "rebuild"): POSTGRES_REBUILD,
    }
    try:
        return table[(vendor, action)]
    except KeyError:
        raise NotImplementedError(f"search has no index for the {vendor} database") from None
