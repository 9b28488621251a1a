# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A clerk's day in sao, in the served demo (tests/sao_browser.py).

In Balchik the clerk finds a taxpayer and opens one of her assessments, the
cashier takes a cash payment typed with the decimal comma and prints its
receipt, the clerk registers an incoming letter; in Năvodari the clerk
finds a party and registers a letter in Romanian. Each step is done in the
windows as a user does (menu, search box, fields, buttons), checked by what
the server stored, and photographed in $TEST_OUTPUT/browser/day/.
"""
import datetime as dt

import pytest

from sao_browser import (
    TIMEOUT, idle, open_first_record, open_window, pane, rpc, save,
    screenshot_on_failure, start_user, type_number, wait_view)

@pytest.fixture(scope='module')
def output(browser_output):
    path = browser_output / 'day'
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def user_page(server, browser, output):
    "start(user): a page logged in as the staff user; errors checked"
    pages = []

    def start(user):
        page, watcher = start_user(browser, server, user)
        pages.append((page, watcher))
        return page
    yield start
    try:
        for page, watcher in pages:
            assert watcher.take() == []
    finally:
        for page, _ in pages:
            page.context.close()


def _shot(page, output, name):
    page.screenshot(path=str(output / f'{name}.png'), animations='disabled')


def _record(page):
    "The id of the record of the active tab"
    return page.evaluate(
        "() => Sao.Tab.tabs.get_current().screen.current_record.id")


def _search(page, text, expected):
    """Search the list of the active tab for text, as typed in its box, and
    wait until it shows the expected number of records"""
    box = page.locator(f'{pane(page)} .filter-box input:visible').first
    box.fill(text)
    page.locator(
        f'{pane(page)} .filter-box button[type=submit]:visible').first.click()
    page.wait_for_function("""expected => {
        const screen = Sao.Tab.tabs.get_current().screen;
        return (screen.group.length == expected)
            && (jQuery.active === 0)
            && (window.pontica_pending.size === 0);
    }""", arg=expected)


def _fill(page, name, text):
    "Type text in the field name and leave it"
    field = page.locator(f'{pane(page)} [name={name}]:visible').first
    field.fill(text)
    field.press('Tab')
    idle(page)


def _choose(page, name, text):
    """Type text in the Many2One name and leave it: sao takes the only
    match, or asks to choose among several: the first that shows text"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    field = page.locator(
        f'{pane(page)} .form-many2one input[name={name}]:visible').first
    # On a loaded machine the text typed may be lost while sao is still
    # redrawing the new record: the field is empty again and no search is
    # made, or sao searches an empty text and offers every record. The text
    # is typed again, at most three times.
    for attempt in range(3):
        field.fill(text)
        field.press('Tab')
        try:
            page.wait_for_function("""name => (Sao.Tab.tabs.get_current()
                    .screen.current_record.field_get(name) !== null)
                || document.querySelector('.modal.in .treeview tbody tr')""",
                arg=name, timeout=TIMEOUT // 3)
        except PlaywrightTimeoutError:
            if attempt == 2 or field.input_value():
                raise
            continue
        if _choose_in_dialog(page, text) is not False:
            break
        assert attempt < 2, f"no record shows {text!r} in the search dialog"
    page.wait_for_function("""name => (jQuery.active === 0)
        && (window.pontica_pending.size === 0)
        && (Sao.Tab.tabs.get_current().screen
            .current_record.field_get(name) !== null)""", arg=name)
    return page.evaluate("""name => Sao.Tab.tabs.get_current().screen
        .current_record.field_get(name)""", name)


def _choose_in_dialog(page, text=None):
    """Take the first record of a search dialog that shows text (any when
    text is None), if sao opened one; when none shows it, close the dialog
    and return False"""
    dialog = page.locator('.modal.in').filter(
        has=page.locator('.treeview tbody tr'))
    if not dialog.count():
        return None
    rows = dialog.locator('.treeview tbody tr')
    if text is not None:
        rows = rows.filter(has_text=text)
    if not rows.count():
        # its Cancel
        dialog.locator('.modal-footer .btn-link').first.click()
        dialog.wait_for(state='detached')
        idle(page)
        return False
    rows.first.click()
    dialog.locator('.modal-footer .btn-primary').click()
    dialog.wait_for(state='detached')
    idle(page)
    return True


def _click(page, name, state):
    """Click the form's button name, confirming if sao asks, and wait until
    the record is in state (or sao shows a fault)"""
    page.locator(f'{pane(page)} button[name={name}]:visible').first.click()
    done = """state => (jQuery.active === 0)
        && (window.pontica_pending.size === 0)
        && (Sao.Tab.tabs.get_current().screen.current_record
            .field_get('state') == state)"""
    faults = ', '.join(f'.modal.in.{c}' for c in FAULT_DIALOGS)
    page.wait_for_function(f"""state => ({done})(state)
        || document.querySelector('{faults}')
        || document.querySelector('.modal.in.confirmation-dialog')
        || document.querySelector('.modal.in.user-warning-dialog')""",
        arg=state)
    # a confirmation, or a warning the user accepts (an overpayment)
    confirm = page.locator('.modal.in.confirmation-dialog .btn-primary, '
        '.modal.in.user-warning-dialog .btn-primary')
    if confirm.count():
        confirm.first.click()
        page.wait_for_function(f"""state => ({done})(state)
            || document.querySelector('{faults}')""", arg=state)


FAULT_DIALOGS = ['error-dialog', 'warning-dialog', 'message-dialog']


def _errors(page):
    "The fault dialogs shown (a refusal, an error)"
    return page.evaluate("""classes => [...document.querySelectorAll(
        '.modal.in')].filter(m => classes.some(c => m.classList.contains(c)))
        .map(m => m.innerText.replace(/\\s+/g, ' ').trim())""",
        FAULT_DIALOGS)


def test_balchik_clerk_finds_taxpayer(user_page, output):
    "The clerk finds a taxpayer by name and opens one of her assessments"
    page = user_page('balchik.clerk')
    with screenshot_on_failure(page, output, 'balchik-clerk-taxpayer'):
        [assessment] = rpc(page, 'model.muni.assessment.search_read',
            [('state', '=', 'posted')], 0, 1, [('id', 'ASC')],
            ['party', 'party.rec_name'])
        name = assessment['party.']['rec_name']
        [taxpayer] = rpc(page, 'model.muni.taxpayer.search',
            [('party', '=', assessment['party'])], 0, None, None)
        assessments = rpc(page, 'model.muni.assessment.search_count',
            [('party', '=', assessment['party'])])
        open_window(page, 'muni_finance', 'menu_taxpayer_form')
        _search(page, name, 1)
        _shot(page, output, '1-balchik-clerk-taxpayers-found')
        open_first_record(page)
        assert _record(page) == taxpayer
        _shot(page, output, '2-balchik-clerk-taxpayer')
        open_window(page, 'muni_finance', 'menu_assessment_form')
        # by the taxpayer's column: the plain text searches the
        # assessments' name, which finds every assessment (reported)
        _search(page, f'Данъкоплатец: "{name}"', assessments)
        _shot(page, output, '3-balchik-clerk-assessments-found')
        open_first_record(page)
        [opened] = rpc(page, 'model.muni.assessment.read',
            [_record(page)], ['party', 'state'])
        assert opened['party'] == assessment['party'], (opened, assessment)
        assert opened['state'] == 'posted'
        _shot(page, output, '4-balchik-clerk-assessment')
        assert _errors(page) == []


def _take_cash(page, output, prefix, typed, amount):
    """The user takes the amount typed with the decimal comma in cash from
    a taxpayer who owes more, in his open session, posts it and prints the
    receipt; return the payment's id"""
    [session] = rpc(page, 'model.muni.cash.session.search',
        [('state', '=', 'open')], 0, None, None)
    # a taxpayer who owes more than he pays (else sao asks to confirm the
    # overpayment)
    [found] = rpc(page, 'model.muni.taxpayer.search_read',
        [('party.receivable', '>=', amount)], 0, 1, [('id', 'DESC')],
        ['number'])
    taxpayer = found['id']
    open_window(page, 'muni_finance', 'menu_payment_form')
    page.locator(f'{pane(page)} button#new_:visible').first.click()
    wait_view(page, 'form', new=True)
    # by the taxpayer's number: two citizens may bear the same name
    assert _choose(page, 'taxpayer', found['number']) == taxpayer
    assert type_number(page, 'amount', typed)
    idle(page)
    _shot(page, output, f'{prefix}-payment-typed')
    save(page)
    payment = _record(page)
    _click(page, 'post', 'posted')
    assert _errors(page) == []
    _shot(page, output, f'{prefix}-payment-posted')
    # the posted payment's allocations: the list's New and Delete
    # buttons are hidden, not only greyed (sao/custom.js)
    shown = page.evaluate("""(pane) => {
        const titles = [
            Sao.i18n.gettext('New'), Sao.i18n.gettext('Delete')];
        return [...document.querySelectorAll(pane + ' .form-one2many')]
            .filter((list) => list.offsetParent !== null)
            .map((list) => [...list.querySelectorAll(
                    '.form-one2many-toolbar button')]
                .filter((button) => titles.includes(button.title))
                .map((button) => button.offsetParent !== null));
        }""", pane(page))
    assert shown and all(len(l) == 2 and not any(l) for l in shown), (
        shown)
    [posted] = rpc(page, 'model.muni.payment.read', [payment],
        ['amount', 'state', 'channel', 'session', 'taxpayer', 'allocations'])
    assert posted['amount'] == amount
    assert posted['state'] == 'posted'
    assert posted['channel'] == 'cash'
    assert posted['session'] == session
    assert posted['taxpayer'] == taxpayer
    assert posted['allocations'], posted
    # the receipt, from the toolbar's Print menu
    page.locator(f'{pane(page)} button#print:visible').first.click()
    item = page.locator(f'{pane(page)} .dropdown-menu:visible a').first
    with page.expect_download() as download:
        item.click()
    path = download.value.path()
    with open(path, 'rb') as receipt:
        assert receipt.read(5) == b'%PDF-'
    assert download.value.suggested_filename.endswith('.pdf')
    _shot(page, output, f'{prefix}-receipt-printed')
    return payment


def test_balchik_cashier_takes_cash(user_page, output):
    """The cashier takes 125,50 € in cash from a taxpayer in her open
    session, typed with the decimal comma, and prints the receipt"""
    page = user_page('balchik.cashier')
    with screenshot_on_failure(page, output, 'balchik-cashier-payment'):
        _take_cash(page, output, '5-balchik-cashier', '125,50', 125.5)


def test_navodari_clerk_takes_cash(user_page, output):
    """Năvodari's clerk keeps the cash desk: she takes 85,50 lei from a
    taxpayer of the 2026 levy, typed with the decimal comma in Romanian,
    allocated by art. 165, and prints the chitanță"""
    page = user_page('navodari.clerk')
    with screenshot_on_failure(page, output, 'navodari-clerk-payment'):
        payment = _take_cash(page, output, '13-navodari-clerk', '85,50', 85.5)
        [posted] = rpc(page, 'model.muni.payment.read', [payment],
            ['currency.code', 'company.rec_name'])
        assert posted['currency.']['code'] == 'RON'
        assert 'Năvodari' in posted['company.']['rec_name']


def _register_letter(page, output, prefix, book, subject, correspondent):
    """Register an incoming letter in the book, from the correspondent;
    return the document's id"""
    open_window(page, 'muni_docs', 'menu_document_form')
    page.locator(f'{pane(page)} button#new_:visible').first.click()
    wait_view(page, 'form', new=True)
    # a new document starts in the municipality's only incoming register
    current = page.evaluate("""() => Sao.Tab.tabs.get_current().screen
        .current_record.field_get_client('book')""")
    if book not in current:
        _choose(page, 'book', book)
    _fill(page, 'subject', subject)
    _add(page, correspondent)
    _shot(page, output, f'{prefix}-letter-typed')
    save(page)
    document = _record(page)
    _click(page, 'register', 'registered')
    assert _errors(page) == []
    _shot(page, output, f'{prefix}-letter-registered')
    return document


def _add(page, text):
    "Add the record found by text to the form's correspondents"
    entry = page.locator(f'{pane(page)} .form-many2many input:visible').first
    entry.fill(text)
    entry.press('Tab')
    added = """() => (jQuery.active === 0)
        && (window.pontica_pending.size === 0)
        && (Sao.Tab.tabs.get_current().screen.current_record
            .field_get('correspondents').length > 0)"""
    page.wait_for_function(f"""() => ({added})()
        || document.querySelector('.modal.in .treeview tbody tr')""")
    _choose_in_dialog(page)
    page.wait_for_function(added)


def test_balchik_clerk_registers_letter(user_page, output):
    "The clerk registers a taxpayer's letter in the incoming register"
    page = user_page('balchik.clerk')
    with screenshot_on_failure(page, output, 'balchik-clerk-letter'):
        [party] = rpc(page, 'model.muni.assessment.search_read',
            [('state', '=', 'posted')], 0, 1, [('id', 'ASC')],
            ['party', 'party.rec_name'])
        name = party['party.']['rec_name']
        subject = "Искане за удостоверение за данъчна оценка"
        document = _register_letter(page, output, '8-balchik-clerk',
            "Входящ регистър", subject, name)
        [read] = rpc(page, 'model.muni.document.read', [document],
            ['state', 'number', 'subject', 'correspondents', 'direction',
                'book.rec_name'])
        assert read['state'] == 'registered'
        assert read['number'].startswith('94-00-')
        assert read['subject'] == subject
        assert read['correspondents'] == [party['party']]
        assert read['direction'] == 'incoming'


def test_navodari_clerk_registers_letter(user_page, output):
    """The clerk of Năvodari finds a party and registers its letter, in
    Romanian"""
    page = user_page('navodari.clerk')
    with screenshot_on_failure(page, output, 'navodari-clerk-letter'):
        parties = rpc(page, 'model.party.party.search_read',
            [('name', 'ilike', '%Năvodari%')], 0, None, None, ['name'])
        assert parties, "Năvodari's clerk sees no party of Năvodari"
        open_window(page, 'party', 'menu_party_form')
        _search(page, 'Năvodari', len(parties))
        _shot(page, output, '10-navodari-clerk-parties-found')
        open_first_record(page)
        party = _record(page)
        assert party in {p['id'] for p in parties}
        _shot(page, output, '11-navodari-clerk-party')
        name = rpc(page, 'model.party.party.read', [party], ['name'])[0][
            'name']
        subject = "Cerere pentru eliberarea certificatului de atestare fiscală"
        document = _register_letter(page, output, '12-navodari-clerk',
            "Registrul general de intrare-ieșire", subject, name)
        [read] = rpc(page, 'model.muni.document.read', [document],
            ['state', 'number', 'subject', 'correspondents'])
        assert read['state'] == 'registered'
        # the general register numbers the year's documents: n/dd.mm.yyyy
        assert read['number'].endswith(
            '/' + dt.date.today().strftime('%d.%m.%Y')), read['number']
        assert read['subject'] == subject
        assert read['correspondents'] == [party]
