# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the browser tests share: a fresh demo served by trytond, and sao
driven through Playwright with Debian's chromium (never a downloaded
browser).

tests/conftest.py builds the demo once for all the browser tests
(scripts/demo.py --no-serve with --var in a temporary folder), serves it
on a free port of 127.0.0.1 and starts one chromium; each test opens its
own context (cookies, storage) for the user it logs in as."""
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAO_ROOT = ROOT / 'var' / 'sao' / 'package'
CUSTOM_JS = ROOT / 'sao' / 'custom.js'
DATABASE = 'pontica_browser'
FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync']
# The machine has two cores and may be busy with other tests.
TIMEOUT = 90_000  # ms, for each wait in the browser
SERVER_TIMEOUT = 120  # s, for trytond to answer
DEMO_TIMEOUT = 1200  # s, for scripts/demo.py
VIEWPORT = {'width': 1280, 'height': 800}


class Served(NamedTuple):
    "The demo served by trytond: its address, passwords and var/"
    url: str
    password: str
    staff_password: str
    var: Path


def unavailable(reason):
    "Fail on CI, which must run the browser tests, skip elsewhere"
    if os.environ.get('CI'):
        pytest.fail(f"{reason} (CI is set: this test must not be skipped)")
    pytest.skip(reason)


def chromium_path():
    path = os.environ.get('CHROMIUM') or shutil.which('chromium')
    if not path or not os.access(path, os.X_OK):
        unavailable("chromium not found (apt-get install chromium, or set "
            "CHROMIUM to its path)")
    return path


def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright for Python is not installed")
    return sync_playwright


def check_sao():
    "sao is installed, with Pontica's custom.js"
    if not (SAO_ROOT / 'dist' / 'tryton-sao.js').exists():
        unavailable(f"sao is not installed in {SAO_ROOT} "
            "(run scripts/install.sh)")
    # scripts/sao_locale.py writes sao/custom.js first, then sao's texts
    custom = SAO_ROOT / 'custom.js'
    if (not custom.exists()
            or not custom.read_bytes().startswith(CUSTOM_JS.read_bytes())):
        pytest.fail(f"{custom} does not hold sao/custom.js: "
            "run scripts/install.sh")


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def tail(text, lines=40):
    return '\n'.join(text.splitlines()[-lines:])


def _wait_until_answers(url, process, log):
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"trytond stopped ({process.returncode}):\n"
                + tail(log.read_text()))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"trytond does not answer on {url}:\n"
        + tail(log.read_text()))


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@contextlib.contextmanager
def served_demo():
    "Build a fresh demo database in a temporary var/ and serve it"
    import secrets
    tmp = Path(tempfile.mkdtemp(prefix='pontica-sao-'))
    process = None
    try:
        password = secrets.token_urlsafe(16)
        staff_password = secrets.token_urlsafe(16)
        port = free_port()
        env = {k: v for k, v in os.environ.items()
            if not k.startswith('TRYTOND_') and k not in {'DB_NAME'}}
        env.update({
                'PONTICA_ADMIN_PASSWORD': password,
                'PONTICA_STAFF_PASSWORD': staff_password,
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
                + tail(demo.stdout + demo.stderr))
        log = tmp / 'trytond.log'
        trytond = Path(sys.executable).parent / 'trytond'
        with log.open('w') as log_file:
            process = subprocess.Popen(
                [str(trytond), '-d', DATABASE], env=env, cwd=tmp,
                stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT)
        url = f'http://127.0.0.1:{port}/'
        _wait_until_answers(url, process, log)
        yield Served(url, password, staff_password, tmp)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def screenshot_on_failure(page, output, name):
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(output / f'failure-{name}.png'))
        raise


class Watcher:
    """The JavaScript errors of a page: uncaught exceptions and console
    errors, in the order they came"""

    # sao asks for a catalogue of the browser's language before the login
    # (locale/en_US.json, then locale/en.json) and has none for English
    IGNORED = re.compile(r'/locale/[a-zA-Z_]+\.json$')

    def __init__(self, page):
        self.errors = []
        page.on('pageerror', self._page_error)
        page.on('console', self._console)

    def _page_error(self, error):
        stack = (getattr(error, 'stack', None) or '').splitlines()[:4]
        self.errors.append(
            f"pageerror: {error}" + ''.join(f"\n    {s}" for s in stack[1:]))

    def _console(self, message):
        if message.type != 'error':
            return
        url = (message.location or {}).get('url', '')
        if (message.text.startswith('Failed to load resource')
                and self.IGNORED.search(url)):
            return
        self.errors.append(f"console.error: {message.text} ({url})")

    def take(self):
        errors, self.errors = self.errors, []
        return errors


def new_page(browser, output=None):
    "A page in a context of its own (its own session cookie)"
    context = browser.new_context(viewport=VIEWPORT, locale='en-US')
    context.set_default_timeout(TIMEOUT)
    return context.new_page()


def header(page):
    "The header's user link, which sao fills with res.user's status_bar"
    return page.locator('#user-preferences > a.dropdown-toggle')


def login(page, url, user, password, menu='Municipality'):
    """Log in to sao as user and wait for the main menu's entry menu (in
    the user's language; any entry if None)"""
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
    page.fill('#login', user)
    page.locator('#login').press('Enter')
    # second dialog: the password
    secret = page.locator('.modal.in input[type=password]')
    secret.wait_for(state='visible')
    secret.fill(password)
    secret.press('Enter')
    header(page).wait_for(state='visible')
    if menu is None:
        page.locator('#menu tbody tr').first.wait_for(state='visible')
    else:
        menu_entry(page, menu).wait_for(state='visible')


def menu_entry(page, name='Municipality'):
    "An entry of the main menu"
    return page.locator('#menu').get_by_text(name, exact=True).first


def rpc(page, method, *params, context=None):
    """Call trytond from the page with the session of its user (sao's own
    Sao.rpc, with the user's context updated by context); values come back
    through JSON (a Decimal as a float)"""
    result = page.evaluate("""([method, params, context]) => new Promise(
        (resolve, reject) => {
            const session = Sao.Session.current_session;
            Sao.rpc({
                'method': method,
                'params': [...params, {...session.context, ...context}],
            }, session, true, false).then(
                result => resolve(JSON.stringify(result)),
                error => reject(new Error(JSON.stringify(error))));
        })""", [method, list(params), context or {}])
    return json.loads(result)


def xml_id(page, module, fs_id):
    "The database id of module.fs_id"
    return rpc(page, 'model.ir.model.data.get_id', module, fs_id)


def catalogues(lang):
    """The English sources that the catalogues of lang translate: msgid ->
    translations, from every module's locale/<lang>.po and the override
    catalogues of upstream modules (locale/override/...). A source that
    some entry keeps in English (a code, a name) is left out."""
    import polib
    paths = sorted(ROOT.glob(f'addons/*/locale/{lang}.po'))
    for path in sorted(ROOT.glob('addons/*/locale/override/**/*.po')):
        tokens = re.split(r'[._-]', path.stem)
        if lang in tokens or path.parent.name == lang:
            paths.append(path)
    translated, kept = {}, set()
    for path in paths:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.fuzzy or not entry.msgstr:
                continue
            msgid = ' '.join(entry.msgid.split())
            if entry.msgstr == entry.msgid:
                kept.add(msgid)
            else:
                translated.setdefault(msgid, set()).add(entry.msgstr)
    return {k: v for k, v in translated.items() if k not in kept}, paths


def watch_processing(page):
    """Count sao's pending "Processing" timers: each RPC starts one, which
    shows the notice after 3 s unless the answer is handled first"""
    page.evaluate("""() => {
        if (window.pontica_pending) {
            return;
        }
        const pending = window.pontica_pending = new Set();
        const processing = Sao.common.processing;
        const show = processing.show.bind(processing);
        const hide = processing.hide.bind(processing);
        processing.show = function(timeout) {
            const id = show(timeout);
            pending.add(id);
            return id;
        };
        processing.hide = function(id) {
            pending.delete(id);
            return hide(id);
        };
    }""")


def idle(page, timeout=TIMEOUT):
    """Wait until sao has handled every answer (no request nor "Processing"
    pending); False if it is still busy after timeout ms"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    try:
        page.wait_for_function("""() => (jQuery.active === 0)
            && (window.pontica_pending.size === 0)""", timeout=timeout)
    except PlaywrightTimeoutError:
        return False
    return True


VISIBLE_TEXTS = """roots => {
    const texts = new Set();
    const add = text => {
        text = (text || '').replace(/\\s+/g, ' ').trim();
        if (text) {
            texts.add(text);
        }
    };
    const visible = e => !!(e.offsetWidth || e.offsetHeight
        || e.getClientRects().length);
    const elements = [];
    for (const selector of roots) {
        for (const root of document.querySelectorAll(selector)) {
            if (visible(root)) {
                elements.push(...root.querySelectorAll(
                    'label, th, legend, button, a, td, .title, '
                    + '.form-separator, .nav-tabs li'));
                for (const select of root.querySelectorAll('select')) {
                    if (visible(select)) {
                        for (const option of select.options) {
                            add(option.text);
                        }
                    }
                }
            }
        }
    }
    for (const element of elements) {
        if (visible(element)) {
            add(element.innerText);
        }
    }
    return [...texts];
}"""


def visible_texts(page, roots=(
            '#tabs .tab-pane.active', '#tablist', '.modal.in')):
    "The texts shown in the active tab, the tab titles and the dialogs"
    return page.evaluate(VISIBLE_TEXTS, list(roots))


def untranslated(texts, translated):
    """The texts that are English sources the catalogues translate, with
    their translations: [(text, translations)]"""
    found = []
    for text in texts:
        source = text.rstrip(':*').strip()
        if source in translated:
            found.append((text, sorted(translated[source])))
    return found


def open_menu(page, menu_id, timeout=TIMEOUT):
    """Activate the menu entry as sao does (a click in the main menu); what
    opened: 'tab', 'dialog' (a wizard) or None"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    before = page.evaluate("""() => [Sao.Tab.tabs.length,
        document.querySelectorAll('.wizard-dialog.in').length]""")
    page.evaluate("""id => {
        Sao.Action.exec_keyword('tree_open', {
            'model': 'ir.ui.menu', 'id': id}, null, false);
        }""", menu_id)
    try:
        handle = page.wait_for_function("""([tabs, dialogs]) => {
            // the new tab, shown (sao adds it last)
            if ((Sao.Tab.tabs.length > tabs)
                    && (Sao.Tab.tabs.get_current()
                        === Sao.Tab.tabs[Sao.Tab.tabs.length - 1])) {
                return 'tab';
            }
            if (document.querySelectorAll('.wizard-dialog.in').length
                    > dialogs) {
                return 'dialog';
            }
            return false;
        }""", arg=before, timeout=timeout)
    except PlaywrightTimeoutError:
        return None
    return handle.json_value()


# The current tab shows its view (of the type expected.view, on a new
# record if expected.new): a JavaScript predicate
VIEW_SHOWN = """expected => {
    const tab = Sao.Tab.tabs.get_current();
    if (!tab || !tab.screen || !tab.screen.current_view) {
        return false;
    }
    const view = tab.screen.current_view;
    if (expected.view && (view.view_type != expected.view)) {
        return false;
    }
    const record = tab.screen.current_record;
    if (expected.new && !(record && (record.id < 0))) {
        return false;
    }
    return view.el.is(':visible');
}"""


def wait_view(page, view=None, new=False, timeout=TIMEOUT):
    "Wait until the current tab shows its view, sao idle"
    page.wait_for_function(
        "([shown, expected]) => (jQuery.active === 0)"
        " && (window.pontica_pending.size === 0) && eval(shown)(expected)",
        arg=[VIEW_SHOWN, {'view': view, 'new': new}], timeout=timeout)


def open_window(page, module, fs_id, view=None):
    "Open the menu entry module.fs_id and wait for its view"
    kind = open_menu(page, xml_id(page, module, fs_id))
    assert kind == 'tab', f"{module}.{fs_id} opens no tab ({kind})"
    wait_view(page, view)


def pane(page):
    "The selector of the current tab's pane"
    tab = page.evaluate("() => Sao.Tab.tabs.get_current().id")
    return f'#tabs [id="{tab}"]'


def open_first_record(page):
    "Show the form of the first record of the current list"
    page.evaluate("""() => {
        const screen = Sao.Tab.tabs.get_current().screen;
        screen.current_record = screen.group[0];
    }""")
    page.locator(f'{pane(page)} button#switch_').click()
    wait_view(page, 'form')


def start_user(browser, server, user):
    "A page logged in as the staff user, its errors watched"
    page = new_page(browser)
    watcher = Watcher(page)
    login(page, server.url, user, server.staff_password, menu=None)
    watch_processing(page)
    return page, watcher


def type_number(page, name, text):
    """Type text in the number field name of the active tab, as a user
    does: a click on the shown value opens the input, then Tab"""
    current = page.locator(pane(page))
    current.locator(f'input[name={name}]:visible').first.click()
    field = current.locator(f'input.pontica-number[name={name}]:visible')
    field.press('Control+a')
    field.press_sequentially(text)
    valid = field.evaluate('input => input.validity.valid')
    field.press('Tab')
    return valid


def save(page):
    """Save the record of the active tab as its Save button does, and wait
    until it is saved"""
    page.evaluate("() => { Sao.Tab.tabs.get_current().save(); }")
    page.wait_for_function("""() => (jQuery.active === 0)
        && (window.pontica_pending.size === 0)
        && !Sao.Tab.tabs.get_current().screen.modified()""")
