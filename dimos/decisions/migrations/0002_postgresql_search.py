"""Greek full-text search on PostgreSQL; nothing on SQLite (queries.py searches it with LIKE).

A text search configuration `dimos_greek`: unaccent, then the Greek snowball stemmer, so
«Δημοτικού Συμβουλίου» and «δημοτικό συμβούλιο» meet. Built from what the server has: without
the `greek` configuration (PostgreSQL < 13?) it copies `simple`; without unaccent it stems only.
A trigger keeps the weighted vector (A number and ΑΔΑ, B subject, C PDF text) current whatever
writes the row, and a GIN index serves the search.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION decisions_decision_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('dimos_greek', coalesce(NEW.protocol_number, '') || ' ' ||
                                         coalesce(NEW.ada, '')), 'A') ||
    setweight(to_tsvector('dimos_greek', coalesce(NEW.subject, '')), 'B') ||
    setweight(to_tsvector('dimos_greek', coalesce(NEW.text, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
        has_unaccent = cursor.fetchone() is not None
        if has_unaccent:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'greek'")
        has_greek = cursor.fetchone() is not None
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'dimos_greek'")
        if cursor.fetchone() is None:
            cursor.execute(
                "CREATE TEXT SEARCH CONFIGURATION dimos_greek (COPY = %s)"
                % ("greek" if has_greek else "simple")
            )
            dictionaries = ", ".join(
                [*(["unaccent"] if has_unaccent else []), "greek_stem" if has_greek else "simple"]
            )
            cursor.execute(
                "ALTER TEXT SEARCH CONFIGURATION dimos_greek ALTER MAPPING FOR "
                "asciiword, asciihword, hword_asciipart, word, hword, hword_part "
                f"WITH {dictionaries}"
            )
        cursor.execute(FUNCTION)
        cursor.execute(
            "CREATE TRIGGER decisions_decision_search_vector "
            "BEFORE INSERT OR UPDATE ON decisions_decision "
            "FOR EACH ROW EXECUTE FUNCTION decisions_decision_search_vector()"
        )
        cursor.execute(
            "CREATE INDEX decisions_search_vector ON decisions_decision USING gin (search_vector)"
        )
        cursor.execute("UPDATE decisions_decision SET id = id")  # fill existing rows


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS decisions_search_vector")
        cursor.execute(
            "DROP TRIGGER IF EXISTS decisions_decision_search_vector ON decisions_decision"
        )
        cursor.execute("DROP FUNCTION IF EXISTS decisions_decision_search_vector()")
        # dimos_greek and unaccent stay: other apps may search with them.


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
