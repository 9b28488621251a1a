# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""sao in a real browser: log in, switch between the two municipalities,
type amounts with the decimal comma of Bulgarian and Romanian.

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
import stat

import pytest

from muni_bg_localization.tests.tools import BALCHIK
from muni_ro_localization.tests.tools import NAVODARI
from sao_browser import (
    DATABASE, header as _header, login, menu_entry as _menu_entry, new_page,
    open_first_record, open_window, rpc, save,
    screenshot_on_failure as _screenshot_on_failure, start_user, type_number)

CURRENCIES = {BALCHIK: 'EUR', NAVODARI: 'RON'}


@pytest.fixture(scope='module')
def output(browser_output):
    return browser_output


def _status(company):
    return f'{company} [{CURRENCIES[company]}]'


def _wait_header_shows(page, company):
    "Wait until the header names company (sao rewrites it after a change)"
    page.wait_for_function(
        """text => {
            const link = document.querySelector(
                '#user-preferences > a.dropdown-toggle');
            return link !== null && link.textContent.includes(text);
        }""", arg=_status(company))


def _current_company(page):
    text = _header(page).inner_text()
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
def sao(server, browser, output):
    "A chromium page logged in to sao as admin"
    page = new_page(browser)
    try:
        with _screenshot_on_failure(page, output, 'login'):
            login(page, server.url, 'admin', server.password)
        page.screenshot(path=str(output / 'sao-after-login.png'))
        yield page
    finally:
        page.context.close()


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


@pytest.mark.parametrize('user', ['balchik.cashier', 'navodari.clerk'])
def test_decimal_comma(server, browser, output, user):
    """The cashier of each municipality types the opening float of her
    session with her language's decimal comma (bg, ro): 125,50 is stored as
    125.50, not 12550 as Chromium's number input of an English browser
    reads it; a point that groups thousands in the language is refused"""
    page, watcher = start_user(browser, server, user)
    try:
        with _screenshot_on_failure(page, output, f'decimal-{user}'):
            open_window(page, 'muni_finance', 'menu_cash_session_form')
            open_first_record(page)
            session = page.evaluate(
                "() => Sao.Tab.tabs.get_current().screen.current_record.id")
            assert type_number(page, 'opening_float', '125,50')
            save(page)
            page.screenshot(path=str(output / f'sao-decimal-{user}.png'))
            [read] = rpc(page, 'model.muni.cash.session.read',
                [session], ['opening_float'])
            assert read['opening_float'] == 125.5
            shown = page.locator('#tabs .tab-pane.active '
                'input[name=opening_float]:visible').input_value()
            assert shown == '125,50'
            # "1.250" is 1250 in bg and ro; "12.5" is nothing: refused
            assert type_number(page, 'opening_float', '1.250,5')
            assert not type_number(page, 'opening_float', '12.5')
            assert type_number(page, 'opening_float', '0')
            save(page)
            [read] = rpc(page, 'model.muni.cash.session.read',
                [session], ['opening_float'])
            assert read['opening_float'] == 0, read
            assert watcher.take() == []
    finally:
        page.context.close()
