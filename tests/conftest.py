# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The browser tests' fixtures (tests/test_browser_*.py): one demo database
and one chromium for all of them (tests/sao_browser.py)."""
import os
import tempfile
from pathlib import Path

import pytest

import sao_browser


@pytest.fixture(scope='session')
def browser_output():
    "Where the screenshots go: $TEST_OUTPUT/browser"
    base = os.environ.get('TEST_OUTPUT')
    if not base:
        base = tempfile.mkdtemp(prefix='pontica-test-output-')
    path = Path(base) / 'browser'
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope='session')
def chromium():
    # checked before the database is built: no minute lost to skip
    sao_browser.check_sao()
    sao_browser.playwright()
    return sao_browser.chromium_path()


@pytest.fixture(scope='session')
def server(chromium):
    "A fresh demo database served by trytond"
    with sao_browser.served_demo() as served:
        yield served


@pytest.fixture(scope='session')
def browser(chromium):
    "One chromium for the browser tests; each test opens its own context"
    sync_playwright = sao_browser.playwright()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=sao_browser.FLAGS)
        try:
            yield browser
        finally:
            browser.close()
