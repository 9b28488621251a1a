# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus helpers to give a municipality its books"
import datetime as dt

from proteus import Model, Wizard
from proteus.config import get_config

__all__ = ['create_chart', 'create_fiscalyear', 'setup_accounting',
    'in_transaction', 'run_concurrently', 'listen', 'cancel_payments']


def create_chart(company, template, config=None):
    """Create the chart of accounts of the company from the template (an XML
    id such as muni_bg_localization.account_template_root_bg) with its
    default receivable and payable accounts"""
    if config is None:
        config = get_config()
    AccountTemplate = Model.get('account.account.template', config=config)
    Account = Model.get('account.account', config=config)
    ModelData = Model.get('ir.model.data', config=config)

    wizard = Wizard('account.create_chart', config=config)
    wizard.execute('account')
    wizard.form.account_template = AccountTemplate(
        ModelData.get_id(template, config.context))
    wizard.form.company = company
    wizard.execute('create_account')

    def default(kind):
        return Account.find([
                ('company', '=', company.id),
                (f'type.{kind}', '=', True),
                ('party_required', '=', True),
                ('closed', '!=', True),
                ], order=[('code', 'ASC')], limit=1)[0]
    wizard.form.account_receivable = default('receivable')
    wizard.form.account_payable = default('payable')
    wizard.execute('create_properties')


def create_fiscalyear(company, year, config=None):
    """Create the fiscal year with its strict move and invoice sequences and
    its monthly periods"""
    FiscalYear = Model.get('account.fiscalyear', config=config)
    Sequence = Model.get('ir.sequence.strict', config=config)
    SequenceType = Model.get('ir.sequence.type', config=config)

    def sequence(type_name, prefix):
        sequence_type, = SequenceType.find(
            [('name', '=', type_name)], limit=1)
        sequence = Sequence(
            name=f"{prefix} {year}", sequence_type=sequence_type,
            company=company, prefix=f"{prefix}{year}-", padding=6)
        sequence.save()
        return sequence

    fiscalyear = FiscalYear(
        name=str(year), company=company,
        start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))
    fiscalyear.move_sequence = sequence("Account Move", 'M')
    invoice_sequence = sequence("Invoice", 'I')
    invoice_sequences, = fiscalyear.invoice_sequences
    invoice_sequences.out_invoice_sequence = invoice_sequence
    invoice_sequences.in_invoice_sequence = invoice_sequence
    invoice_sequences.out_credit_note_sequence = invoice_sequence
    invoice_sequences.in_credit_note_sequence = invoice_sequence
    fiscalyear.save()
    fiscalyear.click('create_period')
    return fiscalyear


def setup_accounting(company, template, years, config=None):
    "Give the company its chart and the fiscal years"
    create_chart(company, template, config=config)
    return [create_fiscalyear(company, year, config=config)
        for year in sorted(set(years))]


def in_transaction(config, function):
    """Run function(pool) in a transaction of its own as the user of the
    proteus config, the way trytond runs a queued task, but without running
    the tasks it queues: what a worker that died would leave behind"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        with Transaction().start(
                config.database_name, config.user,
                context=config.context, **extras) as transaction:
            try:
                result = function(Pool())
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            transaction.commit()
            transaction.tasks.clear()
            return result


def run_concurrently(config, *functions):
    """Run each function(pool) in a thread and a transaction of its own,
    started together, retried as trytond retries a request when the
    database reports a conflict; return their results"""
    import threading
    import time

    from trytond import backend
    results, errors = [None] * len(functions), []
    barrier = threading.Barrier(len(functions))

    def run(index, function):
        try:
            barrier.wait()
            for attempt in range(20):
                try:
                    results[index] = in_transaction(config, function)
                    return
                except backend.DatabaseOperationalError:
                    time.sleep(0.05 * (attempt + 1))
            raise RuntimeError("too many retries")
        except Exception as exception:
            errors.append(exception)
    if backend.name == 'sqlite':
        # one writer: the transactions can only follow each other
        return [in_transaction(config, f) for f in functions]
    threads = [threading.Thread(target=run, args=(i, f))
        for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def listen(config, model, *names):
    """Note the calls of the events names (class methods such as on_posted)
    of the model in the database of the proteus config, and let each call
    through: return, by name, the ids of the records of each call in the
    order of the calls. What another module extending the event would
    hear; it lasts as long as the database's pool"""
    from trytond.pool import Pool
    Model = Pool(config.database_name).get(model)
    heard = {name: [] for name in names}
    for name in names:
        event = getattr(Model, name)

        def listener(cls, records, *args, _name=name, _event=event,
                **kwargs):
            heard[_name].append(sorted(r.id for r in records))
            return _event(records, *args, **kwargs)
        setattr(Model, name, classmethod(listener))
    return heard


def cancel_payments(payments, reason, config=None):
    """Cancel the payments with the reason through the wizard, as a
    supervisor does in sao, and reload them"""
    wizard = Wizard('muni.payment.cancel', payments, config=config)
    wizard.form.reason = reason
    wizard.execute('cancel')
    for payment in payments:
        payment.reload()
