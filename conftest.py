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
"""
import doctest
import json
import pathlib
import unittest

import pytest

OPTIONFLAGS = (doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
    | doctest.IGNORE_EXCEPTION_DETAIL)


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
