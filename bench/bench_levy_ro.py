# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The annual levy of Năvodari on PostgreSQL (issue 22): bench_levy's
`levy` line for the Romanian localisation.

main(scale) prints one JSON line with the fields of bench_levy's:
  {"name": "levy_ro", "objects": …, "assessments": …, "move_lines": …,
   "seconds": …, "assessments_per_second": …, "baseline_moves_per_second": …,
   "ratio": …, "processes": …, "peak_memory_mb": …, "verified": …}

Databases (on TRYTOND_DATABASE__URI, kept between runs, rebuilt when the
sources of the modules or this fixture change; BENCH_LEVY_REBUILD=1 forces):
  bench_levy_ro_base       muni_ro_localization activated, Năvodari
                           (create_navodari), the revenue types' accounts and
                           the demo's 2026 HCL (demo.HCL_2026) as rate tables
  bench_levy_ro_<objects>  the base + 50,000 × scale tax objects with their
                           owners and taxpayers, loaded with SQL

Measured as bench_levy measures Balchik's, by its functions run with
Năvodari's parameters (bench_levy.site: the databases, the company, the
fixture, the baseline's accounts, the revenue types and what each one
assesses); the levy by bench_levy.run_levy (trytond-worker processes, from
the click to 'done'):
  baseline  5,000 two-line account.move (receivable 464.01 with party and
            maturity date / revenue 734.01) saved and posted by slices of 250
            in one transaction of this process, on a copy of this fixture
  levy      muni.levy.run for 2026 with the seven taxes (IC-PF, IC-PJ, IT-PF,
            IT-PJ, IT-EXT, IMT-PF, IMT-PJ): each object is assessed by the
            revenue type of its kind and of its owner's
then verified with SQL: every owner of every object assessed once by the
revenue type its kind calls for (an owner who acquired in December owes
nothing that year), all posted, balanced, and each assessment's receivable
lines its amount in whole lei.

Environment: as bench_levy (BENCH_LEVY_PROCESSES, BENCH_LEVY_BATCH_SIZE,
BENCH_LEVY_BASELINE_N, BENCH_LEVY_TIMEOUT, BENCH_LEVY_KEEP,
BENCH_LEVY_REBUILD).
"""
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

import bench_levy
from bench_levy import (
    company_context, configure, connect, env_int, levy_line, objects_for)

FIXTURE_VERSION = 1  # of the data loaded by load_objects
YEAR = bench_levy.YEAR
MODULES = ['muni_base', 'muni_finance', 'muni_ro_localization']
NAVODARI = "Primăria Năvodari"
PARTIES_PER_OBJECT = 0.8
# What each revenue type assesses, as SQL on muni_tax_object (o)
EXPECTED = {
    'IC-PF': "o.ro_property_kind = 'building' "
        "AND o.ro_owner_kind = 'natural'",
    'IC-PJ': "o.ro_property_kind = 'building' AND o.ro_owner_kind = 'legal'",
    'IT-PF': "o.ro_property_kind = 'land' "
        "AND o.ro_land_location = 'intravilan' "
        "AND o.ro_owner_kind = 'natural'",
    'IT-PJ': "o.ro_property_kind = 'land' "
        "AND o.ro_land_location = 'intravilan' "
        "AND o.ro_owner_kind = 'legal'",
    'IT-EXT': "o.ro_property_kind = 'land' "
        "AND o.ro_land_location = 'extravilan'",
    'IMT-PF': "o.kind = 'vehicle' AND o.ro_owner_kind = 'natural'",
    'IMT-PJ': "o.kind = 'vehicle' AND o.ro_owner_kind = 'legal'",
    }


# --------------------------------------------------------------------------
# Fixture


def setup_navodari(dbname):
    "Năvodari, its revenue types' accounts and the 2026 HCL (proteus)"
    from proteus import config as pconfig

    from muni_ro_localization.demo import (
        create_rate_tables, setup_revenue_accounts)
    from muni_ro_localization.tests.tools import create_navodari

    config = pconfig.set_trytond(database=dbname)
    company = create_navodari(config)
    with config.set_context(company=company.id, companies=[company.id]):
        setup_revenue_accounts(company, config)
        create_rate_tables(company, config)


def load_objects(dbname, objects):
    """Parties, tax objects, owners and taxpayers with SQL, as the import
    of a Romanian register leaves them: 45 % buildings (1 to 3 owners,
    shares adding up to 1; 3 % of them legal persons' offices with their
    value), 20 % land (9 in 10 in the town, the rest arable land outside
    it), 35 % vehicles (cars by capacity and Euro norm, some electric,
    hybrid or trailers; 5 % bought during the year)"""
    company_id, _ = company_context(dbname)
    buildings = int(round(objects * 0.45))
    land = int(round(objects * 0.20))
    vehicles = objects - buildings - land
    parties = max(int(objects * PARTIES_PER_OBJECT), 10)
    with connect(dbname, autocommit=False) as conn:
        execute = conn.execute
        params = {'company': company_id, 'parties': parties,
            'buildings': buildings, 'land': land, 'vehicles': vehicles,
            'year': YEAR}
        execute("""
            INSERT INTO party_party (id, name, code, code_alnum, code_digit,
                active, create_uid, create_date)
            SELECT nextval('party_party_id_seq'),
                'Contribuabil ' || n, 'NV' || lpad(n::text, 7, '0'),
                'NV' || lpad(n::text, 7, '0'), n,
                true, 1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(parties)s) AS n""", params)
        execute("""
            CREATE TEMP TABLE bench_party AS
            SELECT (row_number() OVER (ORDER BY id)) - 1 AS idx, id
            FROM party_party WHERE code LIKE 'NV%%'""")
        execute("CREATE UNIQUE INDEX ON bench_party (idx)")
        execute("""
            INSERT INTO muni_taxpayer (id, company, party, number,
                create_uid, create_date)
            SELECT nextval('muni_taxpayer_id_seq'), %(company)s, id,
                'N' || lpad((idx + 1)::text, 8, '0'),
                1, now() AT TIME ZONE 'UTC'
            FROM bench_party""", params)
        # buildings: type A with utilities mostly, zones A-D, rank III (the
        # town) or V (Mamaia-Sat); every 33rd an office of a legal person
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, ro_owner_kind, ro_property_kind,
                ro_rank, ro_zone, ro_building_use, ro_building_type,
                ro_building_part, ro_utilities, ro_area,
                ro_construction_year, ro_value, ro_value_year,
                create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'property', 'C' || lpad(n::text, 7, '0'), 'Clădire ' || n,
                true,
                CASE WHEN n %% 33 = 0 THEN 'legal' ELSE 'natural' END,
                'building',
                CASE WHEN n %% 7 = 0 THEN 'V' ELSE 'III' END,
                (ARRAY['A', 'B', 'C', 'D'])[1 + (n * 7) %% 4],
                CASE WHEN n %% 33 = 0 THEN 'non_residential'
                    ELSE 'residential' END,
                CASE WHEN n %% 9 = 0 THEN 'B' ELSE 'A' END,
                'whole', n %% 9 != 0,
                (35 + (n * 7919) %% 180 + ((n * 37) %% 100) / 100.0)
                    ::numeric(16, 2),
                1960 + (n * 13) %% 65,
                CASE WHEN n %% 33 = 0
                    THEN (400000 + (n::bigint * 104729) %% 5000000)
                        ::numeric(16, 2)
                    END,
                CASE WHEN n %% 33 = 0 THEN 2018 + n %% 8 END,
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(buildings)s) AS n""", params)
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, ro_owner_kind, ro_property_kind,
                ro_rank, ro_zone, ro_land_location, ro_land_category,
                ro_land_area, create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'property', 'T' || lpad(n::text, 7, '0'), 'Teren ' || n,
                true,
                CASE WHEN n %% 41 = 0 THEN 'legal' ELSE 'natural' END,
                'land',
                CASE WHEN n %% 10 = 9 THEN NULL
                    WHEN n %% 7 = 0 THEN 'V' ELSE 'III' END,
                CASE WHEN n %% 10 = 9 THEN NULL
                    ELSE (ARRAY['A', 'B', 'C', 'D'])[1 + (n * 3) %% 4] END,
                CASE WHEN n %% 10 = 9 THEN 'extravilan'
                    ELSE 'intravilan' END,
                CASE WHEN n %% 10 = 9 THEN 'arable' ELSE 'buildings' END,
                CASE WHEN n %% 10 = 9 THEN 2000 + (n * 7919) %% 48000
                    ELSE 150 + (n * 7919) %% 650 END,
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(land)s) AS n""", params)
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, ro_owner_kind, ro_vehicle_kind,
                ro_engine_cc, ro_euro_norm, ro_propulsion, ro_co2,
                ro_max_mass, create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'vehicle', 'CT ' || lpad(n::text, 7, '0'),
                'Vehicul ' || n, true,
                CASE WHEN n %% 29 = 0 THEN 'legal' ELSE 'natural' END,
                CASE WHEN n %% 50 = 7 THEN 'trailer' ELSE 'car' END,
                CASE WHEN n %% 50 = 7 OR n %% 40 = 3 THEN NULL
                    ELSE (ARRAY[999, 1199, 1390, 1598, 1600, 1798, 1968,
                        1995, 2000, 2001, 2198, 2487, 2993])
                        [1 + (n * 7) %% 13] END,
                (ARRAY['none', '4', '5', '6', '6', '5'])[1 + (n * 11) %% 6],
                CASE WHEN n %% 40 = 3 THEN 'electric'
                    WHEN n %% 25 = 4 THEN 'hybrid' ELSE 'thermal' END,
                CASE WHEN n %% 25 = 4 THEN 40 + n %% 80 END,
                CASE WHEN n %% 50 = 7 THEN 750 + (n * 31) %% 6000 END,
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(vehicles)s) AS n""", params)
        execute("""
            CREATE TEMP TABLE bench_object AS
            SELECT (row_number() OVER (PARTITION BY kind ORDER BY id))
                AS n, id, kind, ro_property_kind AS property_kind
            FROM muni_tax_object WHERE company = %(company)s""", params)
        # owners of the buildings: 60 % one (share 1), 30 % two (½ + ½),
        # 10 % three (½ + ¼ + ¼)
        execute("""
            INSERT INTO muni_tax_object_owner (id, object, party, share,
                main_dwelling, create_uid, create_date)
            SELECT nextval('muni_tax_object_owner_id_seq'), o.id, p.id,
                CASE WHEN c.owners = 1 THEN 1
                    WHEN j = 0 THEN 0.5
                    WHEN c.owners = 2 THEN 0.5
                    ELSE 0.25 END,
                false, 1, now() AT TIME ZONE 'UTC'
            FROM bench_object AS o
            CROSS JOIN LATERAL (SELECT CASE
                    WHEN o.property_kind = 'land' THEN 1
                    WHEN o.n %% 10 < 6 THEN 1
                    WHEN o.n %% 10 < 9 THEN 2
                    ELSE 3 END AS owners) AS c
            CROSS JOIN LATERAL generate_series(0, c.owners - 1) AS j
            JOIN bench_party AS p
                ON p.idx = ((o.n * 7919) %% %(parties)s + j)
                    %% %(parties)s
            WHERE o.kind = 'property'""", params)
        # one owner per vehicle, 5 % of them bought during the year
        execute("""
            INSERT INTO muni_tax_object_owner (id, object, party, share,
                start_date, main_dwelling, create_uid, create_date)
            SELECT nextval('muni_tax_object_owner_id_seq'), o.id, p.id, 1,
                CASE WHEN o.n %% 20 = 0
                    THEN make_date(%(year)s::int, (2 + o.n %% 11)::int, 10)
                    END,
                false, 1, now() AT TIME ZONE 'UTC'
            FROM bench_object AS o
            JOIN bench_party AS p
                ON p.idx = (o.n * 104729 + 17) %% %(parties)s
            WHERE o.kind = 'vehicle'""", params)
        counts = dict(zip(['objects', 'owners', 'parties'], execute("""
            SELECT (SELECT count(*) FROM muni_tax_object),
                (SELECT count(*) FROM muni_tax_object_owner),
                (SELECT count(*) FROM bench_party)""").fetchone()))
        conn.commit()
    with connect(dbname) as conn:
        conn.execute("VACUUM ANALYZE")
    return counts


# --------------------------------------------------------------------------
# Baseline: one move per assessment, done plainly, on Năvodari's accounts


def expected_sql(types):
    """The (object, party, revenue type) that Năvodari's levy assesses: by
    the object's kind and its owner's, for the owners who owe a month of
    the year (from the month after acquisition)"""
    return ' UNION ALL '.join(f"""
            SELECT o.id AS object, w.party, {types[c]} AS revenue_type
            FROM muni_tax_object AS o
            JOIN muni_tax_object_owner AS w ON w.object = o.id
            WHERE o.active AND {EXPECTED[c]}
                AND (w.start_date IS NULL
                    OR w.start_date < make_date(%(year)s::int, 12, 1))
                AND (w.end_date IS NULL
                    OR w.end_date >= make_date(%(year)s::int, 1, 1))"""
        for c in sorted(types))


def navodari():
    """bench_levy's parameters for Năvodari: its databases, fixture,
    baseline (accounts 464.01 / 734.01, whole lei due 31 March), its seven
    taxes and the checks of whole lei"""
    return bench_levy.site(
        LABEL='levy_ro', SITE='Năvodari', PREFIX='bench_levy_ro',
        BASE_DB='bench_levy_ro_base', MODULES=MODULES,
        ACTIVATE='muni_ro_localization',
        FINGERPRINT_FILES=(str(Path(__file__).resolve()),),
        FIXTURE_VERSION=FIXTURE_VERSION, COMPANY=NAVODARI,
        PARTY_PREFIX='NV', BASELINE_ACCOUNTS=('464.01', '734.01'),
        BASELINE_MATURITY=dt.date(YEAR, 3, 31), BASELINE_BANI=Decimal(0),
        REVENUE_TYPES=list(EXPECTED),
        REVENUE_TYPE_DOMAIN=[('localisation', '=', 'ro')],
        WHOLE_LEI=True, SETUP=setup_navodari, LOAD=load_objects,
        EXPECTED_SQL=expected_sql)


def main(scale):
    with navodari():
        configure()
        objects = objects_for(scale)
        processes = env_int('BENCH_LEVY_PROCESSES', os.cpu_count() or 2)
        batch_size = env_int('BENCH_LEVY_BATCH_SIZE', 1000)
        fixture = bench_levy.ensure_fixture(objects)
        baseline = bench_levy.run_baseline(fixture)
        result = bench_levy.run_levy(
            fixture, processes, batch_size, label='levy_ro')
        if not result['verified']:
            bench_levy.log(
                f"not verified: {json.dumps(result['checks'], default=str)}")
        print(json.dumps(levy_line('levy_ro', objects, result, baseline,
                    processes)), flush=True)


if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == 'profile':
        with navodari():
            bench_levy.profile(float(args[1]) if len(args) > 1 else 0.02,
                int(args[2]) if len(args) > 2 else 1)
    else:
        main(float(args[0]) if args else
            float(os.environ.get('BENCH_SCALE', '1')))
