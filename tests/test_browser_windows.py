# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Every window of the municipality's and the parties' menus, opened in sao
by the demo's staff in their language.

Each clerk (and the cashier) logs in to the served demo
(tests/sao_browser.py) and opens every entry of the Municipality and Party
menus they can see (ir.ui.menu as their own session reads it): the list,
the form of its first record if there is one and a new record's form if
they may create, each page of the forms' notebooks, or the wizard's first
dialog. A window fails on a JavaScript error (an uncaught exception or a
console error), a dialog that nobody asked for (an error, a refusal), a
view still waiting for the server ("Processing") after WINDOW_TIMEOUT, and
a visible text (label, column header, tab, button, choice, menu name) that
is the English source of an entry that the catalogues of the user's
language translate (the modules' locale/<lang>.po and the override
catalogues of upstream modules). A screenshot of each window goes to
$TEST_OUTPUT/browser/windows/<login>/.
"""
import re
import time

import pytest

from sao_browser import (
    VIEW_SHOWN, Watcher, catalogues, idle, login, new_page, open_menu, pane,
    rpc, untranslated, visible_texts, watch_processing, xml_id)

# ms for a window to be built; far above the 3 s after which sao shows
# "Processing", to leave room for a busy machine
WINDOW_TIMEOUT = 60_000
STAFF = [('balchik.clerk', 'bg'), ('balchik.cashier', 'bg'),
    ('navodari.clerk', 'ro')]
# The menus walked: the municipality's, and the parties' that muni_base
# extends (its party form, its search by identifier)
MENUS = [('muni_base', 'menu_muni'), ('party', 'menu_party')]
# sao's own dialogs that report a fault or a refusal
FAULT_DIALOGS = ('error-dialog', 'warning-dialog', 'message-dialog',
    'user-warning-dialog')


def _slug(text):
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')


class Broken(Exception):
    "sao did not finish building a window: the page is of no more use"


class Window:
    "The checks of one user's windows, failures collected"

    def __init__(self, browser, server, login, translated, folder):
        self.browser = browser
        self.server = server
        self.login = login
        self.translated = translated
        self.folder = folder
        self.page = None
        self.failures = []
        self.seen = set()
        self.steps = 0
        self.times = []

    def start(self):
        "Log in, in a new context: the session of a page that works"
        if self.page is not None:
            self.page.context.close()
        self.page = new_page(self.browser)
        self.watcher = Watcher(self.page)
        login(self.page, self.server.url, self.login,
            self.server.staff_password, menu=None)
        watch_processing(self.page)

    def close(self):
        if self.page is not None:
            self.page.context.close()

    def fail(self, where, problem):
        # once per window: a text shown on every page of a form is one fault
        key = (where.split(', page ')[0], problem)
        if key not in self.seen:
            self.seen.add(key)
            self.failures.append(f"{self.login} · {where}: {problem}")

    def dialogs(self, classes=FAULT_DIALOGS):
        "The texts of the fault dialogs shown, which are then closed"
        found = self.page.evaluate("""classes => {
            const found = [];
            for (const modal of document.querySelectorAll('.modal.in')) {
                if (classes.some(c => modal.classList.contains(c))) {
                    found.push(modal.innerText.replace(/\\s+/g, ' ').trim());
                    const button = modal.querySelector(
                        '.modal-footer button');
                    if (button) {
                        button.click();
                    }
                }
            }
            return found;
        }""", list(classes))
        return found

    def check(self, where, shot, ready=None, arg=None):
        """Wait until the window is ready (the JavaScript predicate ready
        with arg, and sao idle) and check it"""
        self.steps += 1
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
        try:
            self.page.wait_for_function(
                "([ready, arg]) => (jQuery.active === 0)"
                " && (window.pontica_pending.size === 0)"
                " && (!ready || eval(ready)(arg))",
                arg=[ready, arg], timeout=WINDOW_TIMEOUT)
        except PlaywrightTimeoutError:
            shown = self.page.locator('#processing').is_visible()
            self.fail(where, "not built after "
                f"{WINDOW_TIMEOUT // 1000} s"
                + (' ("Processing" shown)' if shown else '')
                + f": {self.page.evaluate(STATE)}")
            broken = True
        else:
            broken = False
        for error in self.watcher.take():
            self.fail(where, error)
        for dialog in self.dialogs():
            self.fail(where, f"dialog: {dialog}")
        for text, translations in untranslated(
                visible_texts(self.page, ROOTS), self.translated):
            self.fail(where, f"English text {text!r} (the catalogue has "
                f"{' | '.join(translations)})")
        self.page.screenshot(
            path=str(self.folder / f'{shot}.png'), animations='disabled')
        if broken:
            raise Broken

    def screen(self):
        "The view type, records and create access of the current tab"
        return self.page.evaluate("""() => {
            const tab = Sao.Tab.tabs.get_current();
            if (!tab || !tab.screen) {
                return null;
            }
            const screen = tab.screen;
            const view = screen.current_view;
            return {
                'view': view ? view.view_type : null,
                'records': screen.group.length,
                'create': Boolean(
                    Sao.common.MODELACCESS.get(screen.model_name).create),
            };
        }""")

    def open_menu(self, menu_id):
        "Activate the menu entry as sao does; 'tab', 'dialog' or None"
        return open_menu(self.page, menu_id, WINDOW_TIMEOUT)

    def button(self, name):
        "The toolbar button of the active tab, if enabled"
        button = self.page.locator(f'{pane(self.page)} button#{name}')
        if (button.count() and button.first.is_visible()
                and button.first.is_enabled()):
            return button.first
        return None

    def pages(self, where, shot):
        "Show each page of the form's notebooks, nested ones included"
        links = self.page.locator(
            '#tabs .tab-pane.active .form-notebook > .nav-tabs > li'
            ':not(.active) > a:visible')
        seen = set()
        while True:
            texts = links.all_inner_texts()
            todo = [i for i, t in enumerate(texts) if t not in seen]
            if not todo:
                break
            link = links.nth(todo[0])
            text = texts[todo[0]]
            seen.add(text)
            link.click()
            self.check(f"{where}, page {text!r}",
                f'{shot}-page-{len(seen)}', PAGE_SHOWN, text)

    def close_tab(self, where):
        "Close the current tab, discarding a new record"
        count = self.page.evaluate("() => Sao.Tab.tabs.length")
        self.page.evaluate("() => { Sao.Tab.tabs.get_current().close(); }")
        self.page.wait_for_function("""count => (Sao.Tab.tabs.length < count)
            || document.querySelector('.modal.in .modal-footer .btn-default')
            """, arg=count, timeout=WINDOW_TIMEOUT)
        if self.page.evaluate("count => Sao.Tab.tabs.length >= count",
                count):
            # sao asks whether to save the new record: no
            self.page.locator(
                '.modal.in .modal-footer .btn-default').first.click()
            self.page.wait_for_function(
                "count => Sao.Tab.tabs.length < count", arg=count,
                timeout=WINDOW_TIMEOUT)
        idle(self.page, WINDOW_TIMEOUT)

    def visit(self, menu_id, path, slug):
        start = time.monotonic()
        try:
            self._visit(menu_id, path, slug)
        except Broken:
            # the next window in a page of its own
            self.start()
        finally:
            self.times.append((time.monotonic() - start, path))

    def _visit(self, menu_id, path, slug):
        kind = self.open_menu(menu_id)
        if kind is None:
            self.fail(path, "the window does not open")
            self.check(path, f'{slug}-not-opened')
            raise Broken
        if kind == 'dialog':
            self.check(f"{path} (wizard)", f'{slug}-wizard', WIZARD_SHOWN)
            # its end button (a link), as a user leaves it
            end = self.page.locator(
                '.wizard-dialog.in .modal-footer .btn-link:visible')
            if end.count():
                end.last.click()
            else:
                self.page.keyboard.press('Escape')
            from playwright.sync_api import (
                TimeoutError as PlaywrightTimeoutError)
            try:
                self.page.wait_for_function("""() => (jQuery.active === 0)
                    && !document.querySelector('.wizard-dialog.in')""",
                    timeout=WINDOW_TIMEOUT)
            except PlaywrightTimeoutError:
                self.fail(path, "the wizard does not close")
                raise Broken
            return
        self.check(path, f'{slug}-window', VIEW_SHOWN, {})
        screen = self.screen()
        if not screen or not screen['view']:
            self.close_tab(path)
            return
        if screen['view'] == 'form':
            self.pages(path, f'{slug}-window')
        elif screen['records']:
            # the first record, as a click on its row would select it (a
            # click on a cell may follow the link it shows)
            self.page.evaluate("""() => {
                const screen = Sao.Tab.tabs.get_current().screen;
                screen.current_record = screen.group[0];
            }""")
            switch = self.button('switch_')
            if switch:
                switch.click()
                self.check(f"{path} (record)", f'{slug}-form', VIEW_SHOWN,
                    {'view': 'form'})
                self.pages(f"{path} (record)", f'{slug}-form')
        screen = self.screen()
        if screen and screen['create']:
            new = self.button('new_')
            if new:
                new.click()
                self.check(f"{path} (new record)", f'{slug}-new',
                    VIEW_SHOWN, {'view': 'form', 'new': True})
                self.pages(f"{path} (new record)", f'{slug}-new')
        self.close_tab(path)


# What the windows are checked for, in the active tab and the dialogs; the
# main menu and the tab titles too
ROOTS = ('#tabs .tab-pane.active', '#tablist', '.modal.in', '#menu')
# The predicates of a window built (JavaScript, given an argument; and
# sao_browser.VIEW_SHOWN)
WIZARD_SHOWN = """() => jQuery('.wizard-dialog.in .modal-body')
    .children().length > 0"""
PAGE_SHOWN = """text => jQuery('#tabs .tab-pane.active .form-notebook'
    + ' > .nav-tabs > li.active > a').filter(
        (i, a) => a.innerText == text).length > 0"""
MENU_SHOWN = "() => jQuery('#menu tbody tr:visible').length > 0"
# The state of the current tab, to tell why a window is not built
STATE = """() => {
    const tab = Sao.Tab.tabs.get_current();
    const screen = tab && tab.screen;
    return JSON.stringify({
        'tabs': Sao.Tab.tabs.length,
        'requests': jQuery.active,
        'pending': window.pontica_pending.size,
        'view': screen && screen.current_view
            && screen.current_view.view_type,
        'record': screen && screen.current_record
            && screen.current_record.id,
    });
}"""


def _shot(view):
    return {'tree': 'list', 'form': 'form'}.get(view, view)


@pytest.fixture(scope='module')
def output(browser_output):
    path = browser_output / 'windows'
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize('user,lang', STAFF)
def test_every_window(server, browser, output, user, lang):
    """Every window of the Municipality and the Party menus the user sees,
    in their language"""
    start = time.monotonic()
    translated, paths = catalogues(lang)
    assert translated, f"no catalogue of {lang}"
    folder = output / user
    folder.mkdir(parents=True, exist_ok=True)
    window = Window(browser, server, user, translated, folder)
    try:
        window.start()
        page = window.page
        window.check("main menu", 'menu', MENU_SHOWN)
        roots = [xml_id(page, *r) for r in MENUS]
        fields = ['name', 'complete_name', 'action']
        domain = ['OR', *(('parent', 'child_of', [r]) for r in roots)]
        menus = rpc(page, 'model.ir.ui.menu.search_read',
            domain, 0, None, None, fields)
        english = {m['id']: m for m in rpc(
                page, 'model.ir.ui.menu.search_read',
                domain, 0, None, None, fields,
                context={'language': 'en'})}
        assert menus, f"{user} sees no entry of the menus"
        for menu in menus:
            for text, _ in untranslated([menu['name']], translated):
                window.fail(f"menu {menu['complete_name']}",
                    f"English name {text!r}")
        entries = sorted(
            (m for m in menus if m['action']),
            key=lambda m: english[m['id']]['complete_name'])
        for menu in entries:
            window.visit(menu['id'], menu['complete_name'],
                _slug(english[menu['id']]['complete_name']))
        duration = time.monotonic() - start
        print(f"\n{user} ({lang}): {len(entries)} menu entries, "
            f"{window.steps} windows in {duration:.0f} s; catalogues: "
            + ', '.join(str(p.relative_to(p.parents[3])) for p in paths))
        for seconds, path in window.times:
            print(f"  {seconds:5.1f} s  {path}")
        assert not window.failures, (
            f"{len(window.failures)} faults in the windows of {user}:\n"
            + '\n'.join(window.failures))
    finally:
        window.close()
