import { assert, assertEquals, assertRejects, assertStrictEquals } from "../_assert.ts";
import { migrate, MIGRATIONS, SchemaTooNewError } from "../../server/store/migrations.ts";
import { openPostgres } from "../../server/store/postgres_client.ts";
import { openSqlite } from "../../server/store/sqlite_client.ts";
import type { SqlClient } from "../../server/store/sql_client.ts";
import { sharedCluster } from "./_postgres.ts";
import { backendTest, type TestBackend } from "./_server.ts";

async function freshClient(backend: TestBackend): Promise<SqlClient> {
  if (backend === "sqlite") return openSqlite(":memory:");
  return openPostgres(await (await sharedCluster()).freshDatabase());
}

async function tableNames(sql: SqlClient): Promise<string[]> {
  const q = sql.backend === "sqlite"
    ? "SELECT name FROM sqlite_master WHERE type = 'table'"
    : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'";
  return (await sql.all<{ name: string }>(q)).map((r) => r.name);
}

backendTest("migrate applies every migration once and records it", async (backend) => {
  const sql = await freshClient(backend);
  try {
    assertEquals(await migrate(sql), MIGRATIONS.map((m) => m.version));
    assertEquals(await migrate(sql), []);
    const rows = await sql.all<{ version: number }>(
      "SELECT version, name FROM schema_migrations ORDER BY version",
    );
    assertEquals(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    const tables = await tableNames(sql);
    for (const t of ["chalks", "report_chalks", "reports", "schema_migrations", "sightings"]) {
      assert(tables.includes(t), t);
    }
  } finally {
    await sql.close();
  }
});

backendTest("migrate applies only the migrations added since the last run", async (backend) => {
  const sql = await freshClient(backend);
  try {
    await migrate(sql);
    const next = [...MIGRATIONS, {
      version: MIGRATIONS.length + 1,
      name: "test column",
      sql: {
        sqlite: "ALTER TABLE reports ADD COLUMN note TEXT",
        postgres: "ALTER TABLE reports ADD COLUMN note TEXT",
      },
    }];
    assertEquals(await migrate(sql, next), [MIGRATIONS.length + 1]);
    await sql.run("UPDATE reports SET note = 'x'");
  } finally {
    await sql.close();
  }
});

backendTest(
  "migrate rolls back a failing migration and refuses a newer database",
  async (backend) => {
    const sql = await freshClient(backend);
    try {
      await migrate(sql);
      const broken = "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table";
      const bad = [...MIGRATIONS, {
        version: MIGRATIONS.length + 1,
        name: "broken",
        sql: { sqlite: broken, postgres: broken },
      }];
      await assertRejects(() => migrate(sql, bad), Error, "no_such_table");
      assert(!(await tableNames(sql)).includes("half"));
      await assertRejects(() => migrate(sql, MIGRATIONS.slice(0, 0)), SchemaTooNewError);
    } finally {
      await sql.close();
    }
  },
);

Deno.test("migrate runs once when three servers' migrations start together on one PostgreSQL", async () => {
  const url = await (await sharedCluster()).freshDatabase();
  const clients = [openPostgres(url), openPostgres(url), openPostgres(url)];
  try {
    const applied = await Promise.all(clients.map((c) => migrate(c)));
    const all = applied.flat().sort();
    assertEquals(all, MIGRATIONS.map((m) => m.version));
    const rows = await clients[0].all<{ n: number }>("SELECT COUNT(*) AS n FROM schema_migrations");
    assertStrictEquals(rows[0].n, MIGRATIONS.length);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
});

Deno.test("migration 2 keeps the order of chalks written by a version 1 SQLite database", async () => {
  const sql = openSqlite(":memory:");
  try {
    await migrate(sql, MIGRATIONS.slice(0, 1));
    await sql.run(
      `INSERT INTO reports (identity, operation, received_ms, raw) VALUES ('i', 'insert', 1, '{}')`,
    );
    for (const id of ["Z", "A", "M"]) {
      await sql.run(
        `INSERT INTO chalks (metadata_id, chalk_id, report_id, raw) VALUES ($1, $1, 1, '{}')`,
        [id],
      );
    }
    assertEquals(await migrate(sql), [2]);
    const rows = await sql.all<{ metadata_id: string; position: number }>(
      "SELECT metadata_id, position FROM chalks ORDER BY report_id, position",
    );
    assertEquals(rows.map((r) => r.metadata_id), ["Z", "A", "M"]);
    const counters = await sql.all<{ name: string; n: number }>(
      "SELECT name, SUM(n) AS n FROM counters GROUP BY name ORDER BY name",
    );
    assertEquals(counters.map((c) => [c.name, c.n]), [["chalks", 3], ["op:insert", 1]]);
  } finally {
    await sql.close();
  }
});
