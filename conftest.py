# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""pytest glue for the Pontica modules.

* unittest-style ModuleTestCase / RouteTestCase classes are collected by
  pytest natively.
* Tryton scenario doctests (tests/scenario_*.rst) are normally loaded via the
  unittest `load_tests` protocol, which pytest ignores: collect them here and
  run each one with Tryton's own doctest settings (setup/teardown drop the
  test database, Decimal-stripping checker on SQLite, ELLIPSIS...).
* Optional scenario_*.json next to an .rst gives several global sets, as
  trytond's load_doc_tests does.
* pytest-xdist (scripts/test.sh runs -n with --dist loadgroup): each worker
  gets its own database; the test files are grouped by the modules they
  activate, heaviest group first (ModulesScheduling).
* trytond's DB_CACHE is made safe for several processes, and shared by the
  test classes and the scenarios of the same modules (_patch_db_cache).
"""
import ast
import doctest
import fcntl
import functools
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import unittest

import pytest

# trytond reads DB_NAME when trytond.tests.test_tryton is first imported,
# which happens later, while the test modules are collected. Each xdist
# worker needs a database of its own; SQLite's default ':memory:' is one
# per process already.
WORKER = os.environ.get('PYTEST_XDIST_WORKER')
if WORKER:
    if os.environ.get('DB_NAME', ':memory:') != ':memory:':
        os.environ['DB_NAME'] += f'_{WORKER}'
    elif any(os.environ.get(v, '').startswith('postgresql')
            for v in ['TRYTOND_DATABASE__URI', 'TRYTOND_DATABASE_URI']):
        # trytond's default, test_<epoch>, would be the same for workers
        # started in the same second
        os.environ['DB_NAME'] = f'test_{int(time.time())}_{WORKER}'


def pytest_configure(config):
    # trytond resolves the classes a module registers in tryton.cfg by name,
    # and each resolution looks the module up among every installed entry
    # point: the generic ModuleTestCase tests resolve some 17,000 of them a
    # test for muni_finance (1.8 s a test). A module's lookup never changes
    # within a process.
    from trytond.tools import misc
    if not hasattr(misc.import_module, 'cache_info'):
        misc.import_module = functools.cache(misc.import_module)


OPTIONFLAGS = (doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
    | doctest.IGNORE_EXCEPTION_DETAIL)

# Tests that leave the PostgreSQL runs, and why.
BROWSER_REASON = ("builds and serves a SQLite demo database whatever the "
    "backend under test: it runs in make test")
NOT_ON_POSTGRESQL = {
    'tests/test_browser_sao.py': BROWSER_REASON,
    'tests/test_browser_windows.py': BROWSER_REASON,
    'tests/test_browser_day.py': BROWSER_REASON,
    }


def pytest_collection_modifyitems(config, items):
    uri = (os.environ.get('TRYTOND_DATABASE__URI')
        or os.environ.get('TRYTOND_DATABASE_URI') or '')
    if uri.startswith('postgresql'):
        for item in items:
            reason = NOT_ON_POSTGRESQL.get(_path(config.rootpath, item.path))
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
    if WORKER and config.getvalue('loadgroup'):
        _order(config, items)


def _path(root, path):
    try:
        return pathlib.Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


# Scheduling for pytest-xdist (scripts/test.sh runs --dist loadgroup).
# Activating modules costs 10-60 s on SQLite, 2-3 times that on
# PostgreSQL, and the cache starts empty on a fresh clone. The test files
# whose databases have the same modules form one group, which one worker
# runs: the first test activates, the others restore, and no worker waits
# for another's activation. The groups are sent heaviest first, so that
# the last ones are short and the workers finish together. The modules are
# read from the files (a test class's module and extras, the first
# activate_module(s) call), and the weights are rough estimates in seconds
# on SQLite: a wrong guess costs only time.
# (xdist's own loadgroup, with xdist_group marks, does not group with
# pytest 9: it renames the tests through an attribute pytest 9 ignores.)
HEAVY_FILES = {
    # the browser tests share one demo database (tests/conftest.py), which
    # scripts/demo.py builds, and walk sao's windows
    'tests/test_browser_sao.py': 200,
    'tests/test_browser_windows.py': 200,
    'tests/test_browser_day.py': 60,
    }
SECONDS_BY_MODULE = 2.2  # to activate, per module with its dependencies
SECONDS_BY_SCENARIO = 6
SECONDS_BY_TEST = 0.3


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue('dist') != 'loadgroup':
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesScheduling(LoadScopeScheduling):
        "Each group of files of the same modules to one worker, in order"

        def _split_scope(self, nodeid):
            return _group(config.rootpath, nodeid.split('::', 1)[0])

    # the workers' order (_order), not xdist's by number of tests
    config.option.loadscopereorder = False
    return ModulesScheduling(config, log)


def _order(config, items):
    "Put the items in groups, heaviest first"
    groups, weights = {}, {}
    for item in items:
        path = _path(config.rootpath, item.path)
        group = _group(config.rootpath, path)
        if group not in groups:
            groups[group] = []
            modules = _activated_in(config.rootpath / path)
            weights[group] = (SECONDS_BY_MODULE * _closure_size(modules)
                if modules else 0)
        if not any(i.path == item.path for i in groups[group][-1:]):
            weights[group] += HEAVY_FILES.get(path, 0)
        groups[group].append(item)
        weights[group] += (SECONDS_BY_SCENARIO
            if isinstance(item, ScenarioItem) else SECONDS_BY_TEST)
    items[:] = [item
        for group in sorted(groups, key=lambda g: -weights[g])
        for item in groups[group]]


def _group(root, path):
    "The group of a test file: its modules, or itself"
    if re.fullmatch(r'tests/test_browser_\w+\.py', str(path)):
        # one worker builds the demo they share
        return 'browser'
    modules = _activated_in(root / path)
    return '-'.join(sorted(modules)) if modules else path


ACTIVATE = re.compile(
    r'activate_modules?\(\s*(\[[^\]]*\]|\'[^\']*\'|"[^"]*")')


@functools.cache
def _activated_in(path):
    "The modules a test file activates first, if it can be told"
    try:
        text = path.read_text(encoding='utf-8')
    except (OSError, ValueError):
        return None
    if path.suffix == '.py':
        # a test class's module and extras
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return None
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                values = {}
                for statement in node.body:
                    if (isinstance(statement, ast.Assign)
                            and len(statement.targets) == 1
                            and isinstance(statement.targets[0], ast.Name)):
                        try:
                            values[statement.targets[0].id] = (
                                ast.literal_eval(statement.value))
                        except ValueError:
                            pass
                if isinstance(values.get('module'), str):
                    return frozenset(
                        [values['module'], *(values.get('extras') or [])])
    # a doctest's continuation lines
    text = re.sub(r'\n\s*(>>>|\.\.\.) ', '\n', text)
    match = ACTIVATE.search(text)
    try:
        modules = ast.literal_eval(match.group(1)) if match else None
    except ValueError:  # not literals
        return None
    if isinstance(modules, str):
        modules = [modules]
    return frozenset(modules) if modules else None


def _closure_size(modules):
    "The number of modules activated with their dependencies"
    from trytond.modules import get_module_info
    seen, todo = set(), list(modules)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            try:
                info = get_module_info(module) or {}
            except Exception:  # an unknown module: its test will say so
                info = {}
            todo.extend(info.get('depends', []))
    return len(seen)


# DB_CACHE for several processes, and shared between test classes and
# scenarios.
#
# trytond writes a cache entry (an SQLite file, a pg_dump directory) in
# place, and restores any entry that exists: a worker could restore another's
# half-written entry, and a run killed while writing leaves a broken one
# behind. Here an entry is written under a temporary name and renamed when
# complete, and a lock per entry (flock, released by the kernel if the
# process dies) lets one process activate while the others wait for its
# entry instead of activating the same modules at once.
#
# A test class (module + extras) and a scenario (activate_modules(modules,
# *setup)) name their entries differently, so the same modules were
# activated once for each. Here an entry is named by the sorted modules
# (plus the setup functions, or the language), and a scenario whose entry
# is missing starts from the entry of its modules alone, whoever made it,
# and runs only its setup functions before saving its own entry.
_held_locks = {}


def _lock(cache_file):
    if cache_file not in _held_locks:
        lock = open(cache_file + '.lock', 'a')
        fcntl.flock(lock, fcntl.LOCK_EX)
        _held_locks[cache_file] = lock


def _unlock(cache_file):
    lock = _held_locks.pop(cache_file, None)
    if lock is not None:
        lock.close()


def _remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.exists(path):
        os.remove(path)


def _entry_name(name):
    "The name of an entry with its modules sorted"
    modules, separator, rest = name.partition('--')
    return '-'.join(sorted(modules.split('-'))) + separator + rest


def _pg_dump(test_tryton, path):
    "Dump the test database to path as trytond does (directory format)"
    options, env = test_tryton._pg_options()
    command = ['pg_dump', '-f', path, '-F', 'd',
        '-j', test_tryton.DB_CACHE_JOBS, *options, test_tryton.DB_NAME]
    try:
        return not subprocess.call(command, env=env)
    except OSError:  # no pg_dump: no cache (trytond would make templates)
        return False


def _patch_db_cache():
    from trytond import backend
    from trytond.tests import test_tryton, tools
    cache = test_tryton.DB_CACHE
    if (not cache or cache.startswith('postgresql://')
            or getattr(test_tryton, '_pontica_patched', False)):
        return
    restore = test_tryton.restore_db_cache

    def restore_db_cache(name):
        name = _entry_name(name)
        os.makedirs(cache, exist_ok=True)
        cache_file = test_tryton._db_cache_file(cache, name)
        _lock(cache_file)
        if restore(name):
            _unlock(cache_file)
            return True
        # the caller activates the modules and calls backup_db_cache,
        # which releases the lock (or the end of the test does)
        return False

    def backup_db_cache(name):
        name = _entry_name(name)
        os.makedirs(cache, exist_ok=True)
        cache_file = test_tryton._db_cache_file(cache, name)
        _lock(cache_file)
        try:
            if os.path.exists(cache_file):
                return
            partial = f'{cache_file}.{os.getpid()}.partial'
            _remove(partial)
            if backend.name == 'sqlite':
                done = test_tryton._sqlite_copy(partial)
            else:
                done = _pg_dump(test_tryton, partial)
            if done:
                os.rename(partial, cache_file)
            else:
                _remove(partial)
        finally:
            _unlock(cache_file)

    def activate_modules(modules, *setup):
        "trytond's activate_modules, from the entry of the modules alone"
        if isinstance(modules, str):
            modules = [modules]
        name = '-'.join(sorted(modules))
        if setup:
            name += '--' + '|'.join(tools._func_name(f) for f in setup)
            if restore_db_cache(name):
                return tools._get_config()
        # as a test class activates them (the same database as proteus'
        # activation but for a wizard's session)
        test_tryton.drop_db()
        test_tryton.activate_module(modules)
        config = tools._get_config()
        if setup:
            for function in setup:
                function(config=config)
            backup_db_cache(name)
        return config

    # activate_module reads them from test_tryton's globals, proteus'
    # activate_modules from its own
    for module in [test_tryton, tools]:
        module.restore_db_cache = restore_db_cache
        module.backup_db_cache = backup_db_cache
    tools.activate_modules = activate_modules
    test_tryton._pontica_patched = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # trytond is imported by the test modules, not before: patch once it is
    if 'trytond.tests.test_tryton' in sys.modules:
        _patch_db_cache()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    # a failed activation never reached backup_db_cache
    for cache_file in list(_held_locks):
        _unlock(cache_file)


def pytest_collect_file(parent, file_path):
    if (file_path.suffix == '.rst' and file_path.name.startswith('scenario')
            and file_path.parent.name == 'tests'):
        return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self):
        config = self.path.with_suffix('.json')
        globs_list = json.loads(config.read_text()) if config.exists() else [{}]
        for i, globs in enumerate(globs_list):
            name = self.path.name if len(globs_list) == 1 else (
                f'{self.path.name}[{i}]')
            yield ScenarioItem.from_parent(self, name=name, globs=globs)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, globs, **kwargs):
        super().__init__(**kwargs)
        self.globs = globs

    def runtest(self):
        # imported lazily: importing test_tryton starts the Pool
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)
        _patch_db_cache()
        flags = OPTIONFLAGS
        if backend.name == 'sqlite':
            flags |= STRIP_DECIMAL
        suite = doctest.DocFileSuite(
            str(self.path), module_relative=False, globs=dict(self.globs),
            setUp=doctest_setup, tearDown=doctest_teardown, encoding='utf-8',
            checker=doctest_checker, optionflags=flags)
        result = unittest.TestResult()
        suite.run(result)
        problems = result.failures + result.errors
        if problems:
            raise ScenarioFailure('\n'.join(text for _, text in problems))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f'scenario: {self.name}'
