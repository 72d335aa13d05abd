#!/usr/bin/env python3
"""Builds a large Django-shaped database from the sample, to measure `arriendo import django`.

Usage: scripts/django_sample_big.py SAMPLE.sqlite3 OUT.sqlite3 [CONTRACTS]   (default 2000)

Each copy k of the sample's contracts gets ids shifted by k*1000 (the sample's ids are below
1000) and `-Kkkk` appended to its number; every row that hangs from a contract (Otro Sí,
renewals, pólizas, sales reports and their billing, adjustments, follow-up notes) is copied with
its foreign keys shifted the same way. Terceros, locales and indices are shared.
"""
import math
import shutil
import sqlite3
import sys

SHIFT = 1000
CHILDREN = [
    "gestion_otrosi",
    "gestion_renovacionautomatica",
    "gestion_poliza",
    "gestion_informeventas",
    "gestion_calculofacturacionventas",
    "gestion_calculoipc",
    "gestion_calculosalariominimo",
    "gestion_seguimientocontrato",
    "gestion_seguimientopoliza",
]
SHIFTED = {"id", "contrato_id", "otrosi_id", "renovacion_automatica_id", "poliza_id",
           "informe_ventas_id", "otrosi_referencia_id"}


def main():
    sample, out = sys.argv[1], sys.argv[2]
    wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    shutil.copyfile(sample, out)
    db = sqlite3.connect(out)
    base = db.execute("SELECT COUNT(*) FROM gestion_contrato").fetchone()[0]
    if max(r[0] for r in db.execute("SELECT id FROM gestion_contrato")) >= SHIFT:
        sys.exit("sample ids must stay below 1000")
    copies = math.ceil(wanted / base)
    tables = ["gestion_contrato"] + CHILDREN
    rows = {t: db.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    cols = {t: [d[1] for d in db.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    for k in range(1, copies):
        for t in tables:
            names = cols[t]
            marks = ",".join("?" for _ in names)
            quoted = ",".join(f'"{n}"' for n in names)
            for row in rows[t]:
                values = list(row)
                for i, n in enumerate(names):
                    if n in SHIFTED and values[i] is not None:
                        values[i] += k * SHIFT
                    if t == "gestion_contrato" and n == "num_contrato":
                        values[i] = f"{values[i]}-K{k:03}"
                db.execute(f'INSERT INTO "{t}" ({quoted}) VALUES ({marks})', values)
    db.commit()
    total = db.execute("SELECT COUNT(*) FROM gestion_contrato").fetchone()[0]
    print(f"{out}: {total} contracts")


if __name__ == "__main__":
    main()
