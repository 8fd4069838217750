#!/usr/bin/env python3
"""Generate a deterministic TypeScript monorepo for the adapter-scan benchmark.

Ports in packages/application/src/ports, adapters (PostgreSQL, pgvector, Redis) in
packages/infrastructure/src, tests in packages/infrastructure/test, domain files, plus a few large
generated files (API clients) among them: --files in all.

usage: gen_source_tree.py OUTDIR [--files N] [--seed N]
"""
import argparse
import json
import pathlib
import random

ENTITIES = ["Lead", "Patient", "Case", "Consent", "AuditLog", "Event", "Embedding", "Appointment", "Invoice", "Clinic"]


def kebab(name):
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


def port(name):
    return f"""import type {{ {name}Id }} from '@bench/domain';

export interface {name}RepositoryPort {{
  findById(id: {name}Id): Promise<unknown | null>;
  save(value: unknown): Promise<void>;
  list(limit: number): Promise<unknown[]>;
}}
"""


def adapter(name, kind, rng):
    table = kebab(name).replace("-", "_") + "s"
    body = []
    for i in range(rng.randint(3, 9)):
        body.append(f"""  async find{i}(id: string, limit: number): Promise<unknown[]> {{
    const client = await this.pool.connect();
    try {{
      await client.query('BEGIN');
      const result = await client.query(
        `SELECT id, payload FROM {table} WHERE id = $1 AND created_at > now() - make_interval(hours => $2) LIMIT $3`,
        [id, {i}, limit],
      );
      await client.query('COMMIT');
      return result.rows;
    }} catch (error) {{
      await client.query('ROLLBACK');
      throw error;
    }} finally {{
      client.release();
    }}
  }}
""")
    driver = "import type { Pool } from 'pg';" if kind != "redis" else "import type { Redis } from 'ioredis';"
    return f"""{driver}
import type {{ {name}RepositoryPort }} from '@bench/application/ports/{kebab(name)}.port.js';

/** {name} persistence ({kind}). Template literal with ${{nested ? `x${{1}}` : 'y'}} in a comment. */
export class Postgres{name}Repository implements {name}RepositoryPort {{
  private readonly pattern = /[a-z]+\\/\\d+/g;
  constructor(private readonly pool: Pool) {{}}
{''.join(body)}
  async findById(id: string) {{ return (await this.find0(id, 1))[0] ?? null; }}
  async save(value: unknown) {{ await this.pool.query('INSERT INTO {table} (payload) VALUES ($1)', [value]); }}
  async list(limit: number) {{ return this.find0('x', limit); }}
}}
"""


def test(name):
    return f"""import {{ describe, expect, it }} from 'vitest';
import {{ Postgres{name}Repository }} from '../src/adapters/{kebab(name)}.js';

describe('Postgres{name}Repository', () => {{
  it('finds', async () => {{
    expect(typeof Postgres{name}Repository).toBe('function');
  }});
}});
"""


def generated(rng, size):
    lines = ["// generated: do not edit", "export const operations = {"]
    while sum(len(line) for line in lines) < size:
        n = rng.randint(0, 10**9)
        lines.append(f"  op{n}: {{ method: 'GET', path: `/v1/items/${{'{n}'}}`, re: /^\\/v1\\/\\d+$/ }},")
    lines.append("};")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = pathlib.Path(args.outdir)
    for package in ["application", "domain", "infrastructure"]:
        (root / "packages" / package).mkdir(parents=True, exist_ok=True)
        (root / "packages" / package / "package.json").write_text(json.dumps({"name": f"@bench/{package}"}))
    written = 0
    index = 0
    while written < args.files:
        name = ENTITIES[index % len(ENTITIES)] + (str(index // len(ENTITIES)) if index >= len(ENTITIES) else "")
        kind = ["postgres", "pgvector", "redis"][index % 3]
        files = {
            f"packages/application/src/ports/{kebab(name)}.port.ts": port(name),
            f"packages/infrastructure/src/adapters/{kebab(name)}.ts": adapter(name, kind, rng),
            f"packages/infrastructure/test/{kebab(name)}.test.ts": test(name),
            f"packages/domain/src/{kebab(name)}.ts": f"export type {name}Id = string & {{ readonly __brand: '{name}' }};\n",
        }
        if index % 250 == 0:
            files[f"packages/infrastructure/src/generated/client-{index}.ts"] = generated(rng, 2_000_000)
        for path, text in files.items():
            if written >= args.files:
                break
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            written += 1
        index += 1
    total = sum(p.stat().st_size for p in root.rglob("*.ts"))
    print(f"{written} files, {total / 1e6:.1f} MB in {root}")


if __name__ == "__main__":
    main()
