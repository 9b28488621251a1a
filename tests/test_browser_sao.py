# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""sao in a real browser: log in and switch between the two municipalities.

A fresh demo database (scripts/demo.py --no-serve) is served by trytond on a
free port of 127.0.0.1 and driven through Playwright with Debian's chromium
(never a downloaded browser). Screenshots go to $TEST_OUTPUT/browser/.

In sao 8.0 the current company is changed in the user's preferences: the
header's user menu (#user-preferences) offers "Preferences...", whose dialog
has the company field as a <select name="company"> (widget "selection" of
the company module's preferences view); after OK, sao reloads the context
and rewrites the header link with res.user's status_bar, e.g.
"Administrator - Primăria Năvodari [RON]".
"""
import contextlib
import os
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest

from muni_bg_localization.tests.tools import BALCHIK
from muni_ro_localization.tests.tools import NAVODARI

ROOT = Path(__file__).resolve().parent.parent
SAO_ROOT = ROOT / 'var' / 'sao' / 'package'
DATABASE = 'pontica_browser'
CURRENCIES = {BALCHIK: 'EUR', NAVODARI: 'RON'}
FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync']
# The machine has two cores and may be busy with other tests.
TIMEOUT = 90_000  # ms, for each wait in the browser
SERVER_TIMEOUT = 120  # s, for trytond to answer
DEMO_TIMEOUT = 900  # s, for scripts/demo.py


class Served(NamedTuple):
    "The demo served by trytond: its address, admin password and var/"
    url: str
    password: str
    var: Path


def _unavailable(reason):
    "Fail on CI, which must run this test, skip elsewhere"
    if os.environ.get('CI'):
        pytest.fail(f"{reason} (CI is set: this test must not be skipped)")
    pytest.skip(reason)


def _chromium():
    path = os.environ.get('CHROMIUM') or shutil.which('chromium')
    if not path or not os.access(path, os.X_OK):
        _unavailable("chromium not found (apt-get install chromium, or set "
            "CHROMIUM to its path)")
    return path


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright for Python is not installed")
    return sync_playwright


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _tail(text, lines=40):
    return '\n'.join(text.splitlines()[-lines:])


def _wait_until_answers(url, process, log):
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"trytond stopped ({process.returncode}):\n"
                + _tail(log.read_text()))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"trytond does not answer on {url}:\n"
        + _tail(log.read_text()))


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture(scope='module')
def output():
    "Where the screenshots go: $TEST_OUTPUT/browser"
    base = os.environ.get('TEST_OUTPUT')
    if not base:
        base = tempfile.mkdtemp(prefix='pontica-test-output-')
    path = Path(base) / 'browser'
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope='module')
def chromium():
    # checked before the database is built: no minute lost to skip
    if not (SAO_ROOT / 'dist' / 'tryton-sao.js').exists():
        _unavailable(f"sao is not installed in {SAO_ROOT} "
            "(run scripts/install.sh)")
    _playwright()
    return _chromium()


@pytest.fixture(scope='module')
def server(chromium):
    "A fresh demo database served by trytond: (url, admin password)"
    tmp = Path(tempfile.mkdtemp(prefix='pontica-sao-'))
    process = None
    try:
        password = secrets.token_urlsafe(16)
        port = _free_port()
        env = {k: v for k, v in os.environ.items()
            if not k.startswith('TRYTOND_') and k not in {'DB_NAME'}}
        env.update({
                'PONTICA_ADMIN_PASSWORD': password,
                'TRYTOND_CONFIG': str(ROOT / 'config' / 'trytond.conf'),
                'TRYTOND_DATABASE__URI': 'sqlite://',
                'TRYTOND_DATABASE__PATH': str(tmp / 'db'),
                'TRYTOND_WEB__ROOT': str(SAO_ROOT),
                'TRYTOND_WEB__LISTEN': f'127.0.0.1:{port}',
                })
        demo = subprocess.run(
            [sys.executable, str(ROOT / 'scripts' / 'demo.py'),
                '--no-serve', '--var', str(tmp), '--database', DATABASE],
            env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=DEMO_TIMEOUT)
        if demo.returncode:
            pytest.fail(f"scripts/demo.py failed ({demo.returncode}):\n"
                + _tail(demo.stdout + demo.stderr))
        log = tmp / 'trytond.log'
        trytond = Path(sys.executable).parent / 'trytond'
        with log.open('w') as log_file:
            process = subprocess.Popen(
                [str(trytond), '-d', DATABASE], env=env, cwd=tmp,
                stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT)
        url = f'http://127.0.0.1:{port}/'
        _wait_until_answers(url, process, log)
        yield Served(url, password, tmp)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _screenshot_on_failure(page, output, name):
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(output / f'failure-{name}.png'))
        raise


def _header(page):
    "The header's user link, which sao fills with res.user's status_bar"
    return page.locator('#user-preferences > a.dropdown-toggle')


def _status(company):
    return f'{company} [{CURRENCIES[company]}]'


def _wait_header_shows(page, company):
    "Wait until the header names company (sao rewrites it after a change)"
    page.wait_for_function(
        """text => {
            const link = document.querySelector(
                '#user-preferences > a.dropdown-toggle');
            return link !== null && link.textContent.includes(text);
        }""", arg=_status(company), timeout=TIMEOUT)


def _current_company(page):
    text = _header(page).inner_text(timeout=TIMEOUT)
    for company in CURRENCIES:
        if _status(company) in text:
            return company
    pytest.fail(f"no municipality in the header: {text!r}")


def test_demo_database_private(server):
    "The demo's database, with the citizens' data, is its owner's alone"
    db_dir = server.var / 'db'
    assert stat.S_IMODE(db_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(
        (db_dir / f'{DATABASE}.sqlite').stat().st_mode) == 0o600


@pytest.fixture(scope='module')
def sao(server, chromium, output):
    "A chromium page logged in to sao as admin"
    url, password = server.url, server.password
    sync_playwright = _playwright()
    profile = tempfile.mkdtemp(prefix='pontica-chromium-')
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=chromium, headless=True,
                args=FLAGS, viewport={'width': 1280, 'height': 800},
                locale='en-US')
            try:
                context.set_default_timeout(TIMEOUT)
                page = context.pages[0] if context.pages else (
                    context.new_page())
                with _screenshot_on_failure(page, output, 'login'):
                    _login(page, url, password)
                page.screenshot(path=str(output / 'sao-after-login.png'))
                yield page
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _login(page, url, password):
    page.goto(url)
    # first dialog: database and user name
    page.wait_for_selector('#login', state='visible')
    # sao asks the server for its databases and then shows a list, or
    # fills the field and makes it read-only: wait for the answer
    page.wait_for_load_state('networkidle')
    database = page.locator('select#database')
    if database.is_visible():
        database.select_option(DATABASE)
    else:
        field = page.locator('input#database')
        if field.get_attribute('readonly') is None:
            field.fill(DATABASE)
        assert field.input_value() == DATABASE
    page.fill('#login', 'admin')
    page.locator('#login').press('Enter')
    # second dialog: the password
    secret = page.locator('.modal.in input[type=password]')
    secret.wait_for(state='visible')
    secret.fill(password)
    secret.press('Enter')
    _header(page).wait_for(state='visible')
    _menu_entry(page).wait_for(state='visible')


def _menu_entry(page, name='Municipality'):
    "An entry of the main menu (muni_base adds Municipality)"
    return page.locator('#menu').get_by_text(name, exact=True).first


def test_main_menu(sao, output):
    "The main menu shows the entry muni_base adds"
    with _screenshot_on_failure(sao, output, 'menu'):
        _menu_entry(sao).wait_for(state='visible')
        menu = sao.locator('#menu').inner_text()
        assert 'Administration' in menu


def test_header_shows_company(sao, output):
    "The header names the user and the current municipality"
    with _screenshot_on_failure(sao, output, 'header'):
        text = _header(sao).inner_text()
        assert text.startswith('Administrator - ')
        assert _current_company(sao) in CURRENCIES


def _switch_company(page, company, screenshot):
    "Choose company in the user's preferences and wait for the header"
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    dialog = page.locator('.modal.in').filter(
        has=page.locator('select[name=company]'))
    select = dialog.locator('select[name=company]')
    # after a switch sao reloads its menu and header: a click during the
    # reload opens nothing, so open the preferences again until they show
    for attempt in range(3):
        _header(page).click()
        page.locator('#user-preferences').get_by_role(
            'menuitem', name='Preferences...').click()
        try:
            select.wait_for(state='visible', timeout=30000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press('Escape')
    select.select_option(label=company)
    assert select.evaluate('s => s.options[s.selectedIndex].text') == company
    page.screenshot(path=str(screenshot), animations='disabled')
    dialog.locator('.modal-footer button[type=submit]').click()
    dialog.wait_for(state='detached')
    _wait_header_shows(page, company)


def test_switch_company(sao, output):
    "Switch Община Балчик -> Primăria Năvodari -> Община Балчик"
    with _screenshot_on_failure(sao, output, 'switch'):
        steps = [BALCHIK, NAVODARI, BALCHIK]
        if _current_company(sao) == BALCHIK:
            steps = steps[1:]
        for step, company in enumerate(steps, 1):
            slug = f"{step}-{'balchik' if company == BALCHIK else 'navodari'}"
            _switch_company(
                sao, company, output / f'sao-preferences-{slug}.png')
            assert _current_company(sao) == company
            title = _header(sao).get_attribute('title')
            assert title.endswith(_status(company))
            _menu_entry(sao).wait_for(state='visible')
            sao.screenshot(path=str(output / f'sao-company-{slug}.png'))
