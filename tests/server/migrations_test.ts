import { assert, assertEquals, assertStrictEquals, assertThrows } from "../_assert.ts";
import { DatabaseSync } from "node:sqlite";
import { migrate, MIGRATIONS, SchemaTooNewError } from "../../server/migrations.ts";

Deno.test("migrate applies every migration once and records it", () => {
  const db = new DatabaseSync(":memory:");
  try {
    assertEquals(migrate(db), MIGRATIONS.map((m) => m.version));
    assertEquals(migrate(db), []);
    const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
    assertEquals(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all().map((r) => r.name);
    for (const t of ["chalks", "report_chalks", "reports", "schema_migrations"]) {
      assert(tables.includes(t), t);
    }
  } finally {
    db.close();
  }
});

Deno.test("migrate applies only the migrations added since the last run", () => {
  const db = new DatabaseSync(":memory:");
  try {
    migrate(db);
    const next = [...MIGRATIONS, {
      version: MIGRATIONS.length + 1,
      name: "test column",
      sql: "ALTER TABLE reports ADD COLUMN note TEXT",
    }];
    assertEquals(migrate(db, next), [MIGRATIONS.length + 1]);
    db.prepare("UPDATE reports SET note = 'x'").run();
  } finally {
    db.close();
  }
});

Deno.test("migrate rolls back a failing migration and refuses a newer database", () => {
  const db = new DatabaseSync(":memory:");
  try {
    migrate(db);
    const bad = [...MIGRATIONS, {
      version: MIGRATIONS.length + 1,
      name: "broken",
      sql: "CREATE TABLE half (x); SELECT * FROM no_such_table",
    }];
    assertThrows(() => migrate(db, bad), /no such table/);
    const half = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all();
    assertStrictEquals(half.length, 0);
    assertThrows(() => migrate(db, MIGRATIONS.slice(0, 0)), SchemaTooNewError);
  } finally {
    db.close();
  }
});
