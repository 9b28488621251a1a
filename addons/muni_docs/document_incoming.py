# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import RegistrationError

CHANNELS = {
    'inbound_email': 'email',
    }


class Incoming(metaclass=PoolMeta):
    __name__ = 'document.incoming'

    muni_register = fields.Many2One(
        'muni.document.register', "Register",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'invisible': Eval('type') != 'muni_document',
            'readonly': Eval('state') != 'draft',
            },
        help="The register of the document; "
        "empty for the first incoming register of the company.")
    muni_correspondent = fields.Many2One(
        'party.party', "Correspondent",
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'invisible': Eval('type') != 'muni_document',
            'readonly': Eval('state') != 'draft',
            },
        help="When known, the document is registered at once; "
        "otherwise it waits in draft for the registrar.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.type.selection.append(('muni_document', "Registry Document"))

    @classmethod
    def _get_results(cls):
        return super()._get_results() | {'muni.document'}

    def _muni_register(self):
        Register = Pool().get('muni.document.register')
        if self.muni_register:
            return self.muni_register
        registers = Register.search([
                ('company', '=', self.company.id),
                ('direction', '=', 'incoming'),
                ], limit=1)
        if registers:
            return registers[0]

    def _process_muni_document(self):
        Document = Pool().get('muni.document')
        if not self.company:
            raise RegistrationError(gettext(
                    'muni_docs.msg_incoming_no_company',
                    incoming=self.rec_name))
        register = self._muni_register()
        if not register:
            raise RegistrationError(gettext(
                    'muni_docs.msg_incoming_no_register',
                    incoming=self.rec_name,
                    company=self.company.rec_name))
        document = Document(
            company=self.company, book=register, direction='incoming',
            subject=self.name,
            channel=CHANNELS.get(self.source))
        if self.muni_correspondent:
            document.correspondents = [self.muni_correspondent]
        document.save()
        if self.muni_correspondent:
            Document.register([document])
        return document
